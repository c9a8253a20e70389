/** HTTP Basic credentials (RFC 7617) as UTF-8, for the servers whose token routes want the account password (Gitea, npm login). */
export function basicAuth(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}
