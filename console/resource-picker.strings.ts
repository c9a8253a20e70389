/** The resource picker's words, for token templates (console/i18n.ts explains the pattern). */
import { defineStrings } from './i18n.ts';

export const resourcePickerStrings = defineStrings({
  en: {
    legend: 'Resources',
    help: 'None chosen: tokens from this template reach everything their owner can. Choose resources to bound them.',
    type: 'Resource type',
    search: 'Search resources',
    searchButton: 'Search',
    none: 'No resources chosen: all resources.',
    noMatch: 'No resource matches.',
    add: (name: string) => `Add ${name}`,
    remove: (name: string) => `Remove ${name}`,
    max: 'At most 50 resources.',
  },
  de: {
    legend: 'Ressourcen',
    help: 'Keine gewählt: Tokens aus dieser Vorlage erreichen alles, was ihr Besitzer erreicht. Wählen Sie Ressourcen, um sie zu begrenzen.',
    type: 'Ressourcentyp',
    search: 'Ressourcen suchen',
    searchButton: 'Suchen',
    none: 'Keine Ressourcen gewählt: alle Ressourcen.',
    noMatch: 'Keine Ressource passt.',
    add: (name: string) => `${name} hinzufügen`,
    remove: (name: string) => `${name} entfernen`,
    max: 'Höchstens 50 Ressourcen.',
  },
});
