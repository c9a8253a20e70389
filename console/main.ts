/** Entry of the built console (dist/console/): same-origin, cookie session. */
import { mountConsole } from './app.ts';

void mountConsole(document.getElementById('app')!, { baseUrl: location.origin, sessionMode: 'cookie' });
