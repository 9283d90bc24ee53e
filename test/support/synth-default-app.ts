// Synthesizes the default app into the directory given as the only argument. The integration global
// setup runs it in a child process (node --import tsx), so that moto server starts meanwhile.
import { synthesizeDefaultApp } from './app';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: synth-default-app.ts <outdir>');
synthesizeDefaultApp(outdir);
