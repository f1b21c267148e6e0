// Local Unleash server for the Order Gate demo and integration tests.
// Configured from environment variables; see README.md in this folder.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;

if (!env.DATABASE_URL) {
    console.error(
        'start-unleash: DATABASE_URL is required, e.g. postgres://user:pass@127.0.0.1:5432/unleash',
    );
    process.exit(2);
}

// unleash-server reads several of these at module load time, so they must be
// in place before the dynamic import below.
const defaults = {
    CHECK_VERSION: 'false',
    SEND_TELEMETRY: 'false',
    LOG_LEVEL: 'warn',
    // Local and embedded PostgreSQL run without TLS; unleash-server tries TLS by default.
    DATABASE_SSL: 'false',
    INIT_ADMIN_API_TOKENS: '*:*.order-gate-demo-admin-token',
    INIT_BACKEND_API_TOKENS: 'default:production.order-gate-demo-client-token',
    // The webhook addon calls the gateways on 127.0.0.1; Unleash 8 refuses private addresses in
    // integrations unless told otherwise. Local server only: a deployed Unleash allow-lists the
    // gateways' Service instead (see docs/deploying.md).
    UNLEASH_ALLOW_PRIVATE_URL_IN_INTEGRATION: 'true',
};
for (const [key, value] of Object.entries(defaults)) {
    env[key] ??= value;
}

const host = '127.0.0.1';
const port = Number(env.UNLEASH_PORT ?? 4242);
const baseUrl = `http://${host}:${port}`;

let unleash;
let stopping = false;
const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    try {
        // Signals can arrive while loading or migrating, before there is a server to stop.
        if (unleash) await unleash.stop();
        console.log(`unleash stopped (${signal})`);
        process.exit(0);
    } catch (err) {
        console.error('start-unleash: shutdown failed', err);
        process.exit(1);
    }
};
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
    process.on(signal, () => shutdown(signal));
}

// Stop together with whoever started us (the demo or a test JVM), even if it was killed outright:
// an orphaned server would hold the port under the next run.
const parent = process.ppid;
setInterval(() => {
    if (process.ppid !== parent) shutdown('parent exited');
}, 1000).unref();

// Silences a pg "client.query() while executing" notice that unleash-server
// triggers on every start; it is not actionable here.
process.noDeprecation = true;

const { start } = await import('unleash-server');

// Seed once per database. Unleash keeps what ops did (a killed source, a hold, a throttle) in its
// database; re-importing the seeded flags at every start would switch every source back on with no
// one reviving it. So the flags are imported only into a database that has no feature flag yet;
// SEED=always brings back the old behaviour (every start resets the flags).
const alreadySeeded = async () => {
    if (env.SEED === 'always') return false;
    // pg is unleash-server's own PostgreSQL driver, installed with it.
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: env.DATABASE_URL, ssl: false });
    try {
        await client.connect();
        const result = await client.query('SELECT 1 FROM features LIMIT 1');
        return result.rowCount > 0;
    } catch {
        return false; // no features table yet: a new database
    } finally {
        await client.end().catch(() => {});
    }
};
const seeded = await alreadySeeded();
if (seeded) console.log('unleash: flags kept from the last run (seeded once per database)');
// Unleash logs "[ERROR] You are running an unsupported version of PostgreSQL: 14.x" at every start
// (it supports 15+); the demo's and the tests' embedded PostgreSQL is 14, and everything the demo
// uses works on it. That one expected line is logged at info (hidden at LOG_LEVEL=warn) instead of
// alarming whoever reads unleash.log; every other message keeps its level. Unleash has no option
// for this, hence a log provider wrapping its default one (imported by path: the package exports
// only its entry point).
const { getDefaultLogProvider } = await import(
    pathToFileURL(join(here, 'node_modules', 'unleash-server', 'dist', 'lib', 'logger.js')).href
);
const defaultLogger = getDefaultLogProvider(env.LOG_LEVEL);
const getLogger = (category) => {
    const logger = defaultLogger(category);
    if (category !== 'server-impl/postgresVersionWarner') return logger;
    const quieter = Object.create(logger);
    quieter.error = (message, ...rest) =>
        String(message).includes('unsupported version of PostgreSQL')
            ? logger.info(message, ...rest)
            : logger.error(message, ...rest);
    return quieter;
};

try {
    unleash = await start({
        databaseUrl: env.DATABASE_URL,
        server: {
            host,
            port,
            unleashUrl: baseUrl,
            // Our own handlers above also cover signals received during start-up.
            gracefulShutdownEnable: false,
        },
        versionCheck: { enable: false },
        getLogger,
        // Only into a new database: see alreadySeeded above.
        ...(seeded
            ? {}
            : {
                  import: {
                      file: env.IMPORT_FILE ?? join(here, 'order-gate-flags.json'),
                      project: env.IMPORT_PROJECT ?? 'default',
                      environment: env.IMPORT_ENVIRONMENT ?? 'production',
                  },
              }),
    });
} catch (err) {
    console.error('start-unleash: failed to start', err);
    process.exit(1);
}
// Unleash 8 keeps the list of enabled integrations in a one-minute cache (AddonService's
// fetchAddonConfigs) and does not drop it when an integration is created, changed or removed. Its
// own start-up events fill that cache with "no integrations", so a webhook addon created in the
// first minute (the demo and the tests create the gateways' addon right after start) stays silent
// for up to a minute: UI changes then reach the gateways only by polling. Dropping the cache after
// each change of an integration makes a new addon fire from the next event on.
const addonService = unleash.services?.addonService;
if (typeof addonService?.fetchAddonConfigs?.clear === 'function') {
    for (const method of ['createAddon', 'updateAddon', 'removeAddon']) {
        const original = addonService[method].bind(addonService);
        addonService[method] = async (...args) => {
            try {
                return await original(...args);
            } finally {
                addonService.fetchAddonConfigs.clear();
            }
        };
    }
} else {
    console.warn(
        'start-unleash: cannot reach the integrations cache of this unleash-server version; a new' +
            ' webhook addon may stay silent for its first minute',
    );
}
// The gateway reads one environment (IMPORT_ENVIRONMENT, production in the demo). Unleash also
// creates "development" and lists it first on every flag page, where a newcomer switches the wrong
// one: every other environment is switched off, which hides it in the UI.
const keep = env.IMPORT_ENVIRONMENT ?? 'production';
const adminToken = env.INIT_ADMIN_API_TOKENS.split(',')[0];
try {
    const headers = { Authorization: adminToken, 'Content-Type': 'application/json' };
    const listed = await fetch(`${baseUrl}/api/admin/environments`, { headers });
    const { environments } = await listed.json();
    for (const environment of environments) {
        if (environment.name !== keep && environment.enabled) {
            const off = await fetch(
                `${baseUrl}/api/admin/environments/${encodeURIComponent(environment.name)}/off`,
                { method: 'POST', headers },
            );
            if (!off.ok) throw new Error(`switching off ${environment.name}: HTTP ${off.status}`);
        }
    }
} catch (err) {
    console.warn(`start-unleash: could not hide the environments other than ${keep}:`, err.message);
}
console.log(`unleash ready on ${baseUrl}`);
