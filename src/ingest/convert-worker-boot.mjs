// Entry of the import's worker thread: TypeScript through tsx (as bin/binku.js does), then the worker code.
import { register } from 'tsx/esm/api';

register();
await import('./convert-worker.ts');
