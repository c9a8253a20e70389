/**
 * Every strings module of the console (console/*.strings.ts), for the tests that compare the
 * English and German tables. A new console page's strings module is added here.
 */
import { appStrings } from '../../console/app.strings.ts';
import { auditStrings } from '../../console/audit-log.strings.ts';
import { identifyStrings } from '../../console/identify.strings.ts';
import { orgStrings } from '../../console/org.strings.ts';
import { webhooksStrings } from '../../console/webhooks.strings.ts';

export interface NamedTables {
  name: string;
  en: Record<string, unknown>;
  de: Record<string, unknown>;
}

export const CONSOLE_TABLES: NamedTables[] = Object.entries({ appStrings, auditStrings, identifyStrings, orgStrings, webhooksStrings }).map(([name, strings]) => ({
  name,
  ...strings.tables,
}));
