import { defineConfig } from 'wxt';

// The Lit kit lives in components/, so WXT's auto-imports are off
// and every file imports what it uses explicitly.
//
// `wxt build --mode e2e` (→ .output/chrome-mv3-e2e) is the build the end-to-end tests load: it
// declares the loopback origin as a host permission, because a headless browser cannot click the
// permission prompt that `permissions.request` shows. The production build (`wxt build`) declares
// no host permission at all: every server origin is an optional permission the user grants from
// a click on the options page (docs/security.md rule 17, 18).
const LOOPBACK = ['http://127.0.0.1/*', 'http://localhost/*'];
// GitHub's public credential revocation API: asked for from the popup's click on "Report to
// GitHub", the moment a GitHub token is revoked (https://*/* would cover it; named so the
// permission is explicit). The e2e build declares it, as it does loopback, for the same reason.
const GITHUB_API = 'https://api.github.com/*';

export default defineConfig({
  imports: false,
  // Manifest V3 for every browser (WXT would build Firefox as MV2 by default).
  manifestVersion: 3,
  hooks: {
    // WXT takes the action's title from popup.html's <title>; keep the manifest's own.
    'build:manifestGenerated': (_wxt, manifest) => {
      if (manifest.action) manifest.action.default_title = '__MSG_actionTitle__';
    },
    // `bench-baseline.html`, the popup benchmark's empty baseline page, exists only in the test build.
    'entrypoints:resolved': (wxt, entrypoints) => {
      if (wxt.config.mode === 'e2e') return;
      const at = entrypoints.findIndex((e) => e.name === 'bench-baseline');
      if (at !== -1) entrypoints.splice(at, 1);
    },
  },
  manifest: ({ mode }) => ({
    // Translated: public/_locales/<lang>/messages.json.
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'alarms', 'notifications', 'scripting'],
    // https anywhere, plus loopback so a server on this machine (plain http) can be added.
    optional_host_permissions: ['https://*/*', GITHUB_API, ...LOOPBACK],
    ...(mode === 'e2e' ? { host_permissions: [...LOOPBACK, GITHUB_API] } : {}),
    externally_connectable: { ids: [], matches: [] },
    action: { default_title: '__MSG_actionTitle__' },
    // The role panel is an extension page framed into the admin console by the role-panel frame
    // content script; it checks its ancestor origin against the configured mappings before it asks
    // for anything.
    web_accessible_resources: [{ resources: ['role-panel.html'], matches: ['https://*/*', ...LOOPBACK], use_dynamic_url: true }],
    browser_specific_settings: {
      gecko: { id: 'patkit@patkit.dev', data_collection_permissions: { required: ['none'] } },
    },
  }),
});
