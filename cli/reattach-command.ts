/**
 * `rds-ops reattach-tables --template cdk.out/RdsOps-<Stage>-Data.template.json [--key-id ID] [--out DIR]`: after the
 * Data stack was deleted, finds the retained tables by their `rds-ops:table` tags and writes the CloudFormation
 * IMPORT change set's template and resources-to-import file, then prints the commands that adopt them.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/app';
import { stackName, TABLE_IDS } from '../lib/config';
import { importTemplate, resourcesToImport } from '../operations/table-reattach';
import { createAwsClients, DEFAULT_LOCAL_ENDPOINT } from './aws-clients';
import { type CliIo, EXIT } from './cli-io';
import { UsageError } from './errors';
import { findTablesByTag } from './ops-tables';

export async function runReattachCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let values: { template?: string; 'key-id'?: string; out?: string; local?: boolean; endpoint?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        template: { type: 'string' },
        'key-id': { type: 'string' },
        out: { type: 'string' },
        local: { type: 'boolean' },
        endpoint: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.template) {
    throw new UsageError('reattach-tables needs --template cdk.out/RdsOps-<Stage>-Data.template.json (npx cdk synth).');
  }
  let template: Parameters<typeof importTemplate>[0];
  try {
    template = JSON.parse(readFileSync(values.template, 'utf8'));
  } catch (error) {
    throw new UsageError(`--template ${values.template}: ${(error as Error).message}`);
  }
  const endpoint = values.endpoint ?? (values.local ? DEFAULT_LOCAL_ENDPOINT : undefined);
  const clients = createAwsClients({ ...(endpoint && { endpoint }) });
  try {
    const stage = loadConfig().stage;
    const names = await findTablesByTag(clients.dynamoDb, stage, TABLE_IDS);
    const mapping = resourcesToImport(template, names, values['key-id']);
    const out = values.out ?? '.';
    mkdirSync(out, { recursive: true });
    const templateFile = join(out, 'import-template.json');
    const resourcesFile = join(out, 'resources-to-import.json');
    writeFileSync(templateFile, `${JSON.stringify(importTemplate(template), null, 2)}\n`);
    writeFileSync(resourcesFile, `${JSON.stringify(mapping, null, 2)}\n`);
    const stack = stackName(stage, 'Data');
    io.out(`Found ${mapping.length} retained resources of ${stack}; wrote ${templateFile} and ${resourcesFile}.`);
    io.out('Adopt them, then deploy the rest:');
    io.out(
      `  aws cloudformation create-change-set --stack-name ${stack} --change-set-name reattach-tables ` +
        `--change-set-type IMPORT --template-body file://${templateFile} --resources-to-import file://${resourcesFile}`,
    );
    io.out(`  aws cloudformation execute-change-set --stack-name ${stack} --change-set-name reattach-tables`);
    io.out(`  npx cdk deploy ${stack} && npx cdk deploy --all`);
    return EXIT.ok;
  } finally {
    clients.destroy();
  }
}
