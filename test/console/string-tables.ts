/**
 * Every strings module of the console (console/*.strings.ts), for the tests that compare the
 * English and German tables. A new console page's strings module is added here.
 */
import { appStrings } from '../../console/app.strings.ts';
import { approvalSettingsStrings } from '../../console/approval-settings.strings.ts';
import { auditStrings } from '../../console/audit-log.strings.ts';
import { identifyStrings } from '../../console/identify.strings.ts';
import { orgApprovalStrings } from '../../console/org-approval.strings.ts';
import { orgStrings } from '../../console/org.strings.ts';
import { requestsStrings } from '../../console/requests.strings.ts';
import { resourcePickerStrings } from '../../console/resource-picker.strings.ts';
import { templatesStrings } from '../../console/templates.strings.ts';
import { webhooksStrings } from '../../console/webhooks.strings.ts';

export interface NamedTables {
  name: string;
  en: Record<string, unknown>;
  de: Record<string, unknown>;
}

export const CONSOLE_TABLES: NamedTables[] = Object.entries({
  appStrings,
  approvalSettingsStrings,
  auditStrings,
  identifyStrings,
  orgApprovalStrings,
  orgStrings,
  requestsStrings,
  resourcePickerStrings,
  templatesStrings,
  webhooksStrings,
}).map(([name, strings]) => ({
  name,
  ...strings.tables,
}));
