// `chat --as USERID`: an interactive terminal session with the bot, the first way to try it without WeCom. Each
// line is one message down the same path as `say`.
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { Command } from "commander";
import { createLogger } from "../src/log.js";
import { openBotSession } from "../src/app.js";
import { configFrom, longRunning, withConfigOption } from "./context.js";

export function chatCommand(): Command {
  return withConfigOption(new Command("chat"))
    .description("talk to the bot in the terminal as a WeCom user (empty line or Ctrl-D to quit)")
    .requiredOption("--as <userid>", "WeCom userid of the sender")
    .option("--chat <chatid>", "group chat id (default: a one-to-one chat)")
    .action(async (options: { as: string; chat?: string; config?: string }) => {
      const config = configFrom(options);
      const log = createLogger(process.env.LOG_LEVEL ?? "warn", process.stderr);
      const session = await openBotSession(config, log);
      const session_id = randomUUID().slice(0, 8);
      longRunning.active = true;
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
      process.stdout.write(`${config.site.library.name} · 以 ${options.as} 的身份发消息（空行或 Ctrl-D 退出）\n`);
      let count = 0;
      try {
        for (;;) {
          let line: string;
          try {
            line = await rl.question("> ");
          } catch {
            break; // Ctrl-D / closed input
          }
          if (line.trim() === "") break;
          const reply = await session.core.handle({
            channel: "cli",
            externalId: `chat-${session_id}-${++count}`,
            senderId: options.as,
            chatId: options.chat,
            chatType: options.chat ? "group" : "single",
            text: line,
            sentAt: new Date(),
          });
          process.stdout.write(`${reply.text}\n`);
        }
      } finally {
        rl.close();
        await session.close();
        longRunning.active = false;
        process.exit();
      }
    });
}
