/**
 * The scopes reference (`/docs/reference/scopes/`), generated from the reference server's own
 * catalog (server/catalog/catalog.ts): every built-in scope under its family, with the roles that
 * grant it and the presets that include it. Each scope's heading carries the anchor its
 * `docs_url` points at (`scopeAnchor`), so the "Docs" links in the create wizard land here.
 */
import { Catalog, scopeAnchor } from '../server/catalog/catalog.ts';
import { code, escapeHtml } from './html.ts';

export function renderScopesPage(catalog: Catalog = new Catalog()): string {
  const groups = new Map<string, typeof catalog.scopes>();
  for (const scope of catalog.scopes) groups.set(scope.group, [...(groups.get(scope.group) ?? []), scope]);
  const names = (list: string[]): string => (list.length === 0 ? '<em>none</em>' : list.map((n) => escapeHtml(n)).join(', '));
  const sections = [...groups].map(([group, scopes]) => {
    const entries = scopes.map((scope) => {
      const roles = catalog.roles.filter((r) => r.permissions.includes(scope.id)).map((r) => r.name);
      const presets = catalog.presets.filter((p) => p.scopes.includes(scope.id)).map((p) => p.name);
      return `<h3 id="${escapeHtml(scopeAnchor(scope.id))}">${code(scope.id)}</h3>
<p>${escapeHtml(scope.description)}</p>
<p class="type">Granted by the roles: ${names(roles)}. In the presets: ${names(presets)}.</p>`;
    });
    return `<h2 id="group-${escapeHtml(scopeAnchor(group))}">${escapeHtml(group)}</h2>\n${entries.join('\n')}`;
  });
  const presets = catalog.presets.map((p) => `<tr><td>${escapeHtml(p.name)}</td><td>${escapeHtml(p.description)}</td><td>${p.scopes.map(code).join(' ')}</td></tr>`).join('\n');
  return `<h1>Scopes and roles</h1>
<p>A token of the reference server may call only the API methods of its scopes, and only those its
owner's roles allow: what it can do is its scopes ∩ its owner's current permissions. This page is
generated from the server's catalog; a server started with <code>PATKIT_SCOPES_FILE</code> adds its
host app's scopes, each with a documentation link of its own.</p>
${sections.join('\n')}
<h2 id="presets">Presets</h2>
<p>The create wizard offers these sets of scopes as a starting point.</p>
<div class="table"><table><thead><tr><th scope="col">Preset</th><th scope="col">What it is for</th><th scope="col">Scopes</th></tr></thead><tbody>
${presets}
</tbody></table></div>`;
}
