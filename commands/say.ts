// `say --as USERID TEXT`: one message down exactly the path a WeCom message takes (without WeCom), against the
// configured database; prints the reply. The same --msgid twice is a redelivery and prints the stored reply.
import { randomUUID } from "node:crypto";
import { Command } from "commander";
import { createLogger } from "../src/log.js";
import { openBotSession } from "../src/app.js";
import { parseNowOption } from "../src/bot/now-option.js";
import { configFrom, withConfigOption } from "./context.js";

interface SayOptions {
  as: string;
  now?: string;
  chat?: string;
  msgid?: string;
  config?: string;
}

export function sayCommand(): Command {
  return withConfigOption(new Command("say"))
    .description("send one message to the bot as a WeCom user and print its reply")
    .requiredOption("--as <userid>", "WeCom userid of the sender")
    .option("--now <iso>", "when the message is sent (ISO-8601; default now; without a zone: library time)")
    .option("--chat <chatid>", "group chat id (default: a one-to-one chat)")
    .option("--msgid <id>", "message id; the same id twice is a redelivery")
    .argument("<text...>", "the message")
    .action(async (words: string[], options: SayOptions) => {
      const config = configFrom(options);
      const sentAt = options.now ? parseNowOption(options.now, config.site.library.timezone) : new Date();
      const log = createLogger(process.env.LOG_LEVEL ?? "warn", process.stderr);
      const session = await openBotSession(config, log, options.now ? () => sentAt : undefined);
      try {
        const reply = await session.core.handle({
          channel: "cli",
          externalId: options.msgid ?? `cli-${randomUUID()}`,
          senderId: options.as,
          chatId: options.chat,
          chatType: options.chat ? "group" : "single",
          text: words.join(" "),
          sentAt,
        });
        if (reply.redelivery) process.stderr.write("(redelivery: the stored reply)\n");
        process.stdout.write(`${reply.text}\n`);
      } finally {
        await session.close();
      }
    });
}
