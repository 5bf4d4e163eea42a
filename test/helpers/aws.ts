// The environment of Tessera on its AWS adapters, all on this machine: DynamoDB Local (started by the global
// setup), the KMS double, and a Secrets Manager double holding the account token.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { AwsFault, type AwsJsonServer, startAwsJsonServer } from './aws-json-server.ts';
import { createTable, localDynamoDbClient } from './dynamodb-local.ts';
import { type KmsDouble, startKmsDouble } from './kms-double.ts';

export const GET_SECRET_VALUE = 'secretsmanager.GetSecretValue';

/**
 * A Secrets Manager double answering GetSecretValue for the given secrets (by ARN or name).
 *
 * @example
 * const secrets = await startSecretsManagerDouble({ 'arn:…:secret:tessera': 'the-account-token' });
 */
export async function startSecretsManagerDouble(secrets: Record<string, string>): Promise<AwsJsonServer> {
  return startAwsJsonServer({
    [GET_SECRET_VALUE]: (input) => {
      const id = String(input.SecretId);
      const value = secrets[id];
      if (value === undefined) {
        throw new AwsFault('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      }
      return {
        ARN: id,
        Name: id.split(':').pop(),
        SecretString: value,
        VersionId: 'v1',
        VersionStages: ['AWSCURRENT'],
      };
    },
  });
}

export interface AwsLocal {
  /** The environment that puts Tessera on DynamoDB Local and the KMS double. */
  env: Record<string, string>;
  kms: KmsDouble;
  table: string;
  dynamodbEndpoint: string;
  close(): Promise<void>;
}

/**
 * A fresh table on the run's DynamoDB Local, a KMS double, and the TESSERA_* settings naming them.
 *
 * @example
 * const aws = await startAwsLocal();
 * const server = await startTestServer({ env: aws.env });
 */
export async function startAwsLocal(): Promise<AwsLocal> {
  const dynamodbEndpoint = inject('dynamodbEndpoint');
  const client = localDynamoDbClient(dynamodbEndpoint);
  const table = await createTable(client, `tessera-e2e-${randomBytes(6).toString('hex')}`);
  client.destroy();
  const kms = await startKmsDouble();
  return {
    env: {
      TESSERA_STORE: 'dynamodb',
      TESSERA_TABLE: table,
      DYNAMODB_ENDPOINT: dynamodbEndpoint,
      TESSERA_SIGNER: 'kms',
      TESSERA_KMS_KEY_IDS: kms.keyIds.join(','),
      KMS_ENDPOINT: kms.endpoint,
      // The provider secrets' symmetric key, on the same KMS endpoint (the double makes one).
      TESSERA_SECRETS_KEY_ID: kms.symmetricKeyIds[0] ?? '',
    },
    kms,
    table,
    dynamodbEndpoint,
    close: () => kms.close(),
  };
}
