import 'patkit/token-details';
import { demoProvider } from '../../demo/provider.js';

const provider = demoProvider();
const details = document.querySelector('#details');
details.provider = provider;
// Regenerate with a one-hour grace period, so the audit trail has an entry and the old value still works.
const [token] = provider.tokens;
await provider.regenerateToken(token.id, undefined, { gracePeriodSeconds: 3600 });
details.token = provider.tokens[0];
