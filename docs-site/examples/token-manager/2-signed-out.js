import 'patkit/token-manager';
import { signedOutProvider } from '../../demo/provider.js';

// The session expired: the manager says so instead of showing an empty list.
document.querySelector('#signed-out').provider = signedOutProvider();
