#!/usr/bin/env node
/** The CDK app entry (`cdk.json` runs it): everything is built by `createApp`. */
import { createApp } from '../lib/app';
import { OpsCdkError } from '../lib/errors';

try {
  createApp();
} catch (error) {
  // Bad config or a bad ASL file is the user's to fix: say what is wrong, without a stack trace.
  if (!(error instanceof OpsCdkError)) throw error;
  process.stderr.write(`${error.name}: ${error.message}\n`);
  process.exitCode = 1;
}
