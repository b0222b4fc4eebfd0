// Asks Coursebot a question through chat-service's OpenAI-compatible API (/v1) with OpenAI's official Node client,
// exactly as a chat front-end would: streams the answer to stdout, then lists its citations, which come on the final
// chunk (`citations`, and `coursebot` with titles, a field OpenAI itself does not send). Run it through ask.sh.
import OpenAI from 'openai';
import { parseArgs } from 'node:util';

const USAGE = `Usage: ask.sh [--model coursebot|coursebot-<course>] "question"

Environment: COURSEBOT_URL (default http://localhost:8080), COURSEBOT_API_KEY (when the service requires keys).`;

function fail(message, code = 1) {
  process.stderr.write(`ask: ${message}\n`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { model: { type: 'string', short: 'm', default: 'coursebot' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (e) {
  fail(`${e.message}\n${USAGE}`, 2);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const question = args.positionals.join(' ').trim();
if (!question) {
  fail(`no question\n${USAGE}`, 2);
}

const baseURL = `${(process.env.COURSEBOT_URL || 'http://localhost:8080').replace(/\/+$/, '')}/v1`;
// The client insists on a key; a service without coursebot.api.keys accepts any.
const client = new OpenAI({ baseURL, apiKey: process.env.COURSEBOT_API_KEY || 'no-key', maxRetries: 1 });

try {
  const stream = await client.chat.completions.create({
    model: args.values.model,
    messages: [{ role: 'user', content: question }],
    stream: true,
  });
  let last;
  for await (const chunk of stream) {
    const text = chunk.choices[0]?.delta?.content;
    if (text) {
      process.stdout.write(text);
    }
    if (chunk.choices[0]?.finish_reason) {
      last = chunk;
    }
  }
  process.stdout.write('\n');
  const cited = last?.coursebot?.citations ?? (last?.citations ?? []).map((url, i) => ({ index: i + 1, url }));
  console.log(`\nCitations (${last?.choices[0].finish_reason}, ${last?.coursebot?.mode ?? 'unknown'} answer${
    last?.coursebot?.covered === false ? ', not covered by the course' : ''}):`);
  for (const c of cited) {
    console.log(`  [${c.index}] ${c.title ? `${c.title} — ` : ''}${c.url}`);
  }
  if (cited.length === 0) {
    console.log('  none');
  }
} catch (e) {
  if (e instanceof OpenAI.APIConnectionError) {
    fail(`cannot reach ${baseURL}: ${e.cause?.message ?? e.message}`);
  }
  if (e instanceof OpenAI.APIError) {
    const code = e.error?.code ?? e.error?.type;
    fail(`${e.status ? `HTTP ${e.status}` : 'the stream broke off'}${code ? ` (${code})` : ''}: ${e.error?.message ?? e.message}`);
  }
  fail(`${baseURL}: ${e.message}`);
}
