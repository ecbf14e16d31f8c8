import { Command } from "commander";
import { configFrom, withConfigOption } from "./context.js";

export function configCommand(): Command {
  const config = new Command("config").description("inspect the configuration");
  config.addCommand(
    withConfigOption(new Command("check"))
      .description("validate the environment and the site config, and say what is enabled")
      .action((options: { config?: string }) => {
        const loaded = configFrom(options);
        const { site, channels } = loaded;
        const lines = [
          `ok: ${loaded.sitePath}${loaded.usingExample ? " (the shipped example)" : ""}`,
          `library: ${site.library.name} (${site.library.timezone})`,
          `branches: ${site.branches.map((b) => b.name).join("、") || "(none)"}`,
          `people: ${site.people.length} (${site.people.filter((p) => p.role !== "staff").length} managers/admins)`,
          `database: ${loaded.env.DATABASE_URL.replace(/\/\/[^@/]*@/, "//***@")}`,
          `channels: ${Object.keys(channels).join(", ") || "none: local try-out mode"}`,
        ];
        process.stdout.write(lines.join("\n") + "\n");
      }),
  );
  return config;
}
