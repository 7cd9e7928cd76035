// Entry of every worker thread: TypeScript through tsx (as bin/binku.js does),
// then the module named by startTsWorker, whose workerMain(data) runs the thread.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const m = await import(workerData.module);
await m.workerMain(workerData.data);
