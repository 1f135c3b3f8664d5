import { startTestServer } from '../helpers/test-server.ts';
import { runSecuritySuite } from './security-suite.ts';

runSecuritySuite('embedded key store', () => startTestServer());
