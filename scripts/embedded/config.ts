/**
 * What the embedded Elasticsearch (of `npm start` and of the test run) reads
 * from the environment: where this machine keeps downloads and its JDK, not
 * settings of an installation. They stay with the embedded runtime rather
 * than in `npm start`'s schema because the test run starts the same runtime
 * (tests/support/global-setup.ts), and scripts/ensure-deps.mjs, which runs
 * before the dependencies are installed (no zod), reads PANORAMA_CACHE_DIR
 * and the JDK variables by the same rules.
 */
import { z } from 'zod';
import { parseEnv, withoutEmpty } from '../../infra/src/config';

export const embeddedEnvSchema = z.object({
  PANORAMA_CACHE_DIR: z.string().optional().meta({
    description: 'where the Elasticsearch distribution is unpacked',
    whenUnset: '`/var/cache/panorama` as root, else `~/.cache/panorama`',
  }),
  PANORAMA_MAVEN_REPO: z.string().optional().meta({
    description: 'the Maven repository the distribution is fetched into',
    whenUnset: '`~/.m2/repository` of the account',
  }),
  ES_JAVA_HOME: z.string().optional().meta({
    description: 'the JDK (17 to 24) to run Elasticsearch with; tried before `JAVA_HOME`',
    whenUnset: 'unset: `JAVA_HOME`, else the newest such JDK under /usr/lib/jvm',
  }),
  JAVA_HOME: z.string().optional().meta({
    description: 'the JDK to run Elasticsearch with when `ES_JAVA_HOME` is unset or unsuitable',
    whenUnset: 'unset: the newest JDK 17 to 24 under /usr/lib/jvm',
  }),
});

export type EmbeddedConfig = z.infer<typeof embeddedEnvSchema>;

/** Read when the runtime needs it (an empty variable is unset). */
export function embeddedConfig(env: NodeJS.ProcessEnv = process.env): EmbeddedConfig {
  return parseEnv(embeddedEnvSchema, withoutEmpty(env));
}
