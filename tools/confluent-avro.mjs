// Confluent's own Avro serde (npm @confluentinc/schemaregistry, pinned in tools/package.json), for
// checking that Hookline speaks the schema registry's wire format (magic byte 0, a 4-byte schema
// id, the Avro binary; subjects <topic>-value) with code that is not Hookline's. Kafka is left to
// the caller: records go in and out as base64 lines, one record a line.
//
//   node tools/confluent-avro.mjs serialize   REGISTRY_URL TOPIC SCHEMA.avsc < events.jsonl > values.b64
//     Registers SCHEMA.avsc under TOPIC-value and writes each JSON object of stdin as that
//     serializer's bytes (what KafkaAvroSerializer would publish).
//   node tools/confluent-avro.mjs deserialize REGISTRY_URL TOPIC < values.b64 > records.jsonl
//     Reads each value with the deserializer, looking the writer schema up by the id in the value,
//     and writes it as a JSON object (Avro longs as numbers, enums as their symbols).
//
// REGISTRY_URL is the Confluent-compatible API (Apicurio: http://host:port/apis/ccompat/v7).
// Exit 0 when every line was converted; 1 with the reason on stderr otherwise.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SchemaRegistryClient, AvroSerializer, AvroDeserializer, SerdeType } = require('@confluentinc/schemaregistry');

const [mode, registryUrl, topic, schemaFile] = process.argv.slice(2);
if (!['serialize', 'deserialize'].includes(mode) || !registryUrl || !topic || (mode === 'serialize' && !schemaFile)) {
  console.error('usage: confluent-avro.mjs serialize REGISTRY_URL TOPIC SCHEMA.avsc | deserialize REGISTRY_URL TOPIC');
  process.exit(2);
}

const client = new SchemaRegistryClient({ baseURLs: [registryUrl] });

async function convert() {
  let toLine;
  if (mode === 'serialize') {
    // Apicurio Registry 3.0.x rewrites `: "{}"` to `:{}` before checking that content is Avro,
    // which rejects Event's payload default; the same string, JSON-escaped, passes unchanged.
    const schema = readFileSync(schemaFile, 'utf8').replace(/:(\s*)"\{\}"/g, ':$1"{\\u007d"');
    const id = await client.register(`${topic}-value`, { schemaType: 'AVRO', schema });
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: false, useSchemaId: id });
    toLine = async (line) => (await serializer.serialize(topic, JSON.parse(line))).toString('base64');
  } else {
    const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {});
    toLine = async (line) => JSON.stringify(await deserializer.deserialize(topic, Buffer.from(line, 'base64')));
  }
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() !== '') {
      process.stdout.write((await toLine(line.trim())) + '\n');
    }
  }
}

convert().catch((error) => {
  console.error(`confluent-avro ${mode}: ${error.stack || error}`);
  process.exit(1);
});
