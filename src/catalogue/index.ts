// The catalogue a library actually uses: the built-in metrics plus the site's own metrics and extra aliases.
import type { Catalogue, EventTypeDefinition, MetricBehaviour, MetricDefinition } from "../parsing/types.ts";
import { EVENT_TYPES, METRICS } from "./metrics.ts";

export { EVENT_TYPES, METRICS } from "./metrics.ts";

/** The part of the site config (src/config/site.ts) that extends the catalogue. */
export interface CatalogueExtension {
  metrics?: ReadonlyArray<{
    key: string;
    name: string;
    shortName?: string;
    aliases?: string[];
    unit: string;
    unitAliases?: string[];
    behaviour: MetricBehaviour;
    section?: string;
  }>;
  /** metric key → extra aliases. */
  aliases?: Readonly<Record<string, readonly string[]>>;
}

/** Built-in metrics, then the site's custom ones (a custom metric with a built-in key replaces it), then
 * extra aliases appended to the metric they name. Unknown keys in `aliases` are ignored: the config loader
 * is the place to report them. */
export function buildCatalogue(site: CatalogueExtension = {}): Catalogue {
  const byKey = new Map<string, MetricDefinition>();
  for (const metric of METRICS) byKey.set(metric.key, cloneMetric(metric));
  for (const custom of site.metrics ?? []) {
    byKey.set(custom.key, {
      key: custom.key,
      name: custom.name,
      shortName: custom.shortName ?? custom.name,
      aliases: [...(custom.aliases ?? [])],
      unit: custom.unit,
      unitAliases: [...(custom.unitAliases ?? [])],
      behaviour: custom.behaviour,
      section: custom.section ?? "other_work",
    });
  }
  for (const [key, extra] of Object.entries(site.aliases ?? {})) {
    const metric = byKey.get(key);
    if (!metric) continue;
    metric.aliases = [...new Set([...metric.aliases, ...extra])];
  }
  return { metrics: [...byKey.values()], eventTypes: EVENT_TYPES.map(cloneEventType) };
}

export function metricByKey(catalogue: Catalogue, key: string): MetricDefinition | undefined {
  return catalogue.metrics.find((metric) => metric.key === key);
}

export function eventTypeByKey(catalogue: Catalogue, key: string): EventTypeDefinition | undefined {
  return catalogue.eventTypes.find((eventType) => eventType.key === key);
}

function cloneMetric(metric: MetricDefinition): MetricDefinition {
  return { ...metric, aliases: [...metric.aliases], unitAliases: [...metric.unitAliases] };
}

function cloneEventType(eventType: EventTypeDefinition): EventTypeDefinition {
  return { ...eventType, triggers: [...eventType.triggers] };
}
