import { runCli } from '../../service/cli/main';

/** What a command printed and its exit status. */
export interface CapturedRun {
  code: number;
  out: string;
  err: string;
}

/** Runs badge-notary in this process, as `badge-notary <argv>` would in a shell with `env`, capturing its output. */
export async function runCliCapturing(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CapturedRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env, io: { out: (text) => out.push(text), err: (text) => err.push(text) } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
