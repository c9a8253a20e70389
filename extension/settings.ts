/**
 * What the extension keeps in `storage.local` under one key: servers, console panel mappings and
 * alert settings — metadata only, never a credential or a secret (docs/security.md rule 19).
 *
 * The stored object carries `version`; {@link migrateSettings} upgrades any older shape step by
 * step. Each step is tested against a saved fixture of that version (test/extension/fixtures).
 */
import type { AlertSettings, PanelMapping } from './messaging/protocol.ts';

export const SETTINGS_KEY = 'patkit:settings';
export const SETTINGS_VERSION = 2;

export interface StoredServer {
  id: string;
  name: string;
  /** Provider kind from the registry (`patkit`, `mattermost`, `npm`). */
  kind: string;
  baseUrl: string;
}

export interface Settings {
  version: typeof SETTINGS_VERSION;
  servers: StoredServer[];
  panels: PanelMapping[];
  alerts: AlertSettings;
}

export const DEFAULT_ALERTS: AlertSettings = { expiryWarningDays: 7, notify: true, refreshMinutes: 30 };

export function defaultSettings(): Settings {
  return { version: SETTINGS_VERSION, servers: [], panels: [], alerts: { ...DEFAULT_ALERTS } };
}

/**
 * Version 1 (the first development builds): servers as `{id, label, provider, url}`, one flat
 * `expiryWarningDays`, no console panels.
 */
export interface SettingsV1 {
  version: 1;
  servers: Array<{ id: string; label: string; provider: string; url: string }>;
  expiryWarningDays?: number;
}

type Migration = (old: Record<string, unknown>) => Record<string, unknown>;

/** `MIGRATIONS[n]` turns version n into version n + 1. */
const MIGRATIONS: Record<number, Migration> = {
  1: (old) => {
    const v1 = old as unknown as SettingsV1;
    const servers = Array.isArray(v1.servers) ? v1.servers : [];
    return {
      version: 2,
      servers: servers
        .filter((s) => s && typeof s.id === 'string' && typeof s.url === 'string')
        .map((s) => ({ id: s.id, name: typeof s.label === 'string' && s.label ? s.label : s.url, kind: s.provider || 'patkit', baseUrl: s.url.replace(/\/+$/, '') })),
      panels: [],
      alerts: {
        ...DEFAULT_ALERTS,
        ...(Number.isInteger(v1.expiryWarningDays) && (v1.expiryWarningDays as number) > 0 ? { expiryWarningDays: v1.expiryWarningDays } : {}),
      },
    };
  },
};

/**
 * Upgrades whatever is stored to the current version. Nothing stored → defaults. A shape from a
 * newer build (downgrade) or garbage is not guessed at: defaults, and the caller logs it.
 */
export function migrateSettings(stored: unknown): { settings: Settings; migrated: boolean; discarded: boolean } {
  if (stored === undefined || stored === null) return { settings: defaultSettings(), migrated: false, discarded: false };
  if (typeof stored !== 'object' || Array.isArray(stored)) return { settings: defaultSettings(), migrated: false, discarded: true };
  let current = stored as Record<string, unknown>;
  let version = typeof current.version === 'number' ? current.version : 1;
  if (version > SETTINGS_VERSION || version < 1) return { settings: defaultSettings(), migrated: false, discarded: true };
  const migrated = version < SETTINGS_VERSION;
  while (version < SETTINGS_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) return { settings: defaultSettings(), migrated: false, discarded: true };
    current = step(current);
    version = current.version as number;
  }
  return { settings: normalise(current), migrated, discarded: false };
}

/** Fills gaps in a current-version object (fields added without a version bump default sanely). */
function normalise(raw: Record<string, unknown>): Settings {
  const alerts = (raw.alerts ?? {}) as Partial<AlertSettings>;
  return {
    version: SETTINGS_VERSION,
    servers: Array.isArray(raw.servers) ? (raw.servers as StoredServer[]) : [],
    panels: Array.isArray(raw.panels) ? (raw.panels as PanelMapping[]) : [],
    alerts: { ...DEFAULT_ALERTS, ...alerts },
  };
}

export interface StorageAreaLike {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/** Loads (and, if needed, migrates and writes back) the settings. */
export async function loadSettings(area: StorageAreaLike): Promise<Settings> {
  const got = await area.get(SETTINGS_KEY);
  const { settings, migrated, discarded } = migrateSettings(got[SETTINGS_KEY]);
  if (discarded) console.warn('patkit: stored settings were unreadable or from a newer version; starting from defaults');
  if (migrated || discarded) await area.set({ [SETTINGS_KEY]: settings });
  return settings;
}

export async function saveSettings(area: StorageAreaLike, settings: Settings): Promise<void> {
  await area.set({ [SETTINGS_KEY]: settings });
}
