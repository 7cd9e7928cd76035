// Entry of the merge's linkage worker thread: TypeScript through tsx (as bin/binku.js does), then the worker code.
import { register } from 'tsx/esm/api';

register();
await import('./link-worker.ts');
