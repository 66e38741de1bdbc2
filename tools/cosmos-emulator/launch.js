#!/usr/bin/env node
// Starts @vercel/cosmosdb-server (a Node implementation of the Cosmos DB REST API) for the Cosmos adapter tests
// (DESIGN §11, §12), with the two fixes the Java SDK (azure-cosmos, gateway mode) needs:
//   (a) query-plan requests (header x-ms-cosmos-is-query-plan-request) get a minimal plan: the server would
//       otherwise run them as queries and the SDK could not parse the answer;
//   (b) a point read of a missing item answers 404 NotFound: the server's read-document handler otherwise throws
//       a TypeError and answers 500, which the SDK retries and reports as a server error.
// Its bundled certificate expired in 2021, so the caller passes a fresh certificate and key (PEM) for
// localhost/127.0.0.1 that its client trusts.
//
// Usage: node launch.js --cert cert.pem --key key.pem [--port 0] [--host 127.0.0.1] [--exit-with-stdin]
//   --port 0 (the default) picks a free port. Once listening, one line is printed on stdout:
//     COSMOS_EMULATOR_READY port=<port> endpoint=https://<host>:<port>/
//   --exit-with-stdin: exit when stdin closes, so the server never outlives the process that started it.
"use strict";

const fs = require("fs");

function parseArgs(argv) {
  const args = { port: 0, host: "127.0.0.1", exitWithStdin: false };
  for (let i = 0; i < argv.length; i += 1) {
    const key = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${key} needs a value`);
      i += 1;
      return argv[i];
    };
    switch (key) {
      case "--port": args.port = Number.parseInt(value(), 10); break;
      case "--host": args.host = value(); break;
      case "--cert": args.cert = value(); break;
      case "--key": args.key = value(); break;
      case "--exit-with-stdin": args.exitWithStdin = true; break;
      case "-h": case "--help":
        process.stdout.write("usage: node launch.js --cert cert.pem --key key.pem [--port 0] [--host 127.0.0.1] [--exit-with-stdin]\n");
        process.exit(0);
        break;
      default: fail(`unknown argument ${key}`);
    }
  }
  if (!args.cert || !args.key) fail("--cert and --key are required (the bundled certificate has expired)");
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) fail("--port must be 0..65535");
  return args;
}

function fail(message) {
  process.stderr.write(`cosmos-emulator: ${message}\n`);
  process.exit(2);
}

const QUERY_PLAN_HEADER = "x-ms-cosmos-is-query-plan-request";

function isQueryPlanRequest(req) {
  return String(req.headers[QUERY_PLAN_HEADER] || "").toLowerCase() === "true";
}

// The plan of a query with no ORDER BY, aggregate, DISTINCT, TOP, OFFSET/LIMIT or GROUP BY over the whole key
// range: the SDK then simply sends the query to each partition key range (the server has one).
async function queryPlan(account, req) {
  for await (const chunk of req) void chunk; // drain the body; the plan does not depend on the query text
  return {
    partitionedQueryExecutionInfoVersion: 2,
    queryInfo: {
      distinctType: "None",
      top: null,
      offset: null,
      limit: null,
      orderBy: [],
      orderByExpressions: [],
      groupByExpressions: [],
      groupByAliases: [],
      aggregates: [],
      groupByAliasToAggregateType: {},
      rewrittenQuery: "",
      hasSelectValue: false,
      hasNonStreamingOrderBy: false,
      dCountInfo: null
    },
    queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]
  };
}

// Patch the package's modules before its router is built. The router looks handlers up once, when lib/routes.js
// loads, so the read-document handler is replaced first; lib/index.js calls routes.default on every request, so
// wrapping it there lets the query-plan answer share the server's usual response headers.
function patchServer() {
  const { parsePartitionKey } = require("@vercel/cosmosdb-server/lib/utils/get-partition-from-header");
  const readDocument = require("@vercel/cosmosdb-server/lib/handler/read-document");
  const originalRead = readDocument.default;
  readDocument.default = (account, req, res, params) => {
    const collection = account.database(params.dbId).collection(params.collId);
    const header = req.headers["x-ms-documentdb-partitionkey"];
    if (collection.read() && header !== undefined) {
      const key = parsePartitionKey(Array.isArray(header) ? header[0] : header, params.docId);
      if (!collection.document(params.docId, key).read()) {
        res.statusCode = 404;
        return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
      }
    }
    return originalRead(account, req, res, params);
  };

  const routes = require("@vercel/cosmosdb-server/lib/routes");
  const originalRoute = routes.default;
  routes.default = req => (isQueryPlanRequest(req) ? [{}, queryPlan] : originalRoute(req));

  return require("@vercel/cosmosdb-server");
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const { createHttpsServer } = patchServer();
  const server = createHttpsServer({
    cert: fs.readFileSync(args.cert),
    key: fs.readFileSync(args.key),
    minVersion: "TLSv1.2"
  });
  server.on("error", err => fail(`cannot listen on ${args.host}:${args.port}: ${err.message}`));
  server.listen(args.port, args.host, () => {
    const { port } = server.address();
    const host = args.host.includes(":") ? `[${args.host}]` : args.host;
    process.stdout.write(`COSMOS_EMULATOR_READY port=${port} endpoint=https://${host}:${port}/\n`);
  });

  const stop = () => {
    server.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  if (args.exitWithStdin) {
    process.stdin.on("end", stop);
    process.stdin.on("error", stop);
    process.stdin.resume();
  }
}

main();
