import 'patkit/role-manager';
import { demoProvider } from '../../demo/provider.js';

document.querySelector('#roles').provider = demoProvider();
