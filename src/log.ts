// One structured logger for the process; each inbound message gets a child (see bot/).
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string = "info", destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: "libtally" }, timestamp: pino.stdTimeFunctions.isoTime },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** For tests and one-shot commands that should stay quiet. */
export const silentLogger: Logger = pino({ level: "silent" });
