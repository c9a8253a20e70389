/**
 * What the two spec checkers (swagger2.ts for the Gitea and GitLab Swagger 2.0 excerpts,
 * mattermost-spec.ts for Mattermost's OpenAPI 3 excerpts) read alike: the operations of a `paths`
 * map, and the operation a request's method and path match.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Calls `visit` for every operation of a `paths` map (method in upper case). */
export function eachOperation(paths: Record<string, unknown>, visit: (method: string, template: string, op: Record<string, unknown>) => void): void {
  for (const [template, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (isObject(op)) visit(method.toUpperCase(), template, op);
    }
  }
}

/** The operation for a method and path, with its path parameters; literal segments win over `{param}` ones. */
export function findOperation<Op extends { method: string; template: string }>(
  operations: readonly Op[],
  method: string,
  pathname: string,
): { op: Op; params: Record<string, string> } | null {
  const candidates: Array<{ op: Op; params: Record<string, string>; templated: number }> = [];
  for (const op of operations) {
    if (op.method !== method.toUpperCase()) continue;
    const names: string[] = [];
    const pattern = op.template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const m = new RegExp(`^${pattern}$`).exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
    candidates.push({ op, params, templated: names.length });
  }
  candidates.sort((a, b) => a.templated - b.templated);
  const best = candidates[0];
  return best ? { op: best.op, params: best.params } : null;
}
