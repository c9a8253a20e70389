/**
 * The HTTP API reference: Scalar (`@scalar/api-reference`, its standalone bundle copied into the
 * site by scripts/build-docs.ts, so it works offline) renders the server's own OpenAPI document,
 * generated at build time from the route schemas (`api/openapi.json` beside this page). Scalar
 * reads its settings from the script element's attributes: no inline script, no outside fonts,
 * no telemetry, none of its hosted services.
 */
import { escapeHtml } from './html.ts';

export const SCALAR_CONFIGURATION = {
  withDefaultFonts: false,
  telemetry: false,
  // Scalar's hosted extras (its AI agent, SDK generation, deployment) need its cloud: off.
  agent: { disabled: true },
  showDeveloperTools: 'never',
};

export function renderApiPage(): string {
  return `<div class="api-intro">
<h1>HTTP API</h1>
<p>The reference token server's API, rendered from its own OpenAPI 3.1 document (<a href="/api/openapi.json">openapi.json</a>),
generated from the route schemas. A running server serves the same document at <code>/api/v1/openapi.json</code>.</p>
</div>
<div id="api-reference-root">
<script id="api-reference" data-url="openapi.json" data-configuration="${escapeHtml(JSON.stringify(SCALAR_CONFIGURATION))}"></script>
</div>
<script src="/api/scalar/standalone.js"></script>
`;
}
