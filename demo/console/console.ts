/** The key console's page script: the `<sg-console>` element and everything it renders. */
import './console-app.ts';
