#!/usr/bin/env node
// `npx converge ...`: runs the TypeScript CLI through tsx's loader, from any
// working directory.
import { tsImport } from 'tsx/esm/api';

await tsImport('./converge.ts', import.meta.url);
