import 'patkit/token-details';
import { makeToken } from '../../demo/provider.js';

const DAY = 86_400_000;
document.querySelector('#fine-details').token = makeToken({
  name: 'deploy previews',
  description: 'Posts preview links on pull requests',
  expires_at: new Date(Date.now() + 300 * DAY).toISOString(),
  resources: [
    { type: 'project', id: 'p1', name: 'Website' },
    { type: 'project', id: 'p2', name: 'Docs' },
  ],
  allowed_ips: ['203.0.113.0/24', '2001:db8::/32'],
  // The server's lifetime cap was lowered since: every use is refused until it is regenerated.
  lifetime_exceeds_policy: true,
});
