import { defineConfig } from 'wxt';

// See ../shared/TOOLCHAIN.md: the Lit kit lives in components/, so WXT's auto-imports are off
// and every file imports what it uses explicitly.
export default defineConfig({
  imports: false,
  modules: ['@wxt-dev/webextension-polyfill'],
  manifest: {
    name: 'patkit',
    description: 'Create, copy, revoke and manage personal access tokens on the servers you use.',
    permissions: ['storage'],
    optional_host_permissions: ['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*'],
    externally_connectable: { ids: [], matches: [] },
    browser_specific_settings: {
      gecko: { id: 'patkit@patkit.dev', data_collection_permissions: { required: ['none'] } },
    },
  },
});
