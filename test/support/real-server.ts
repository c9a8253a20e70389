/**
 * For the browser tests that drive the console against the real patkit server that
 * web-test-runner.config.js starts for the run: where it is, and a plain API client for setup
 * and for checking results behind the UI's back.
 */
import { request } from './http.ts';

export interface Env {
  serverUrl: string;
  adminPassword: string;
}

/** The server's address and admin password, served by the test runner. */
export async function loadEnv(): Promise<Env> {
  return (await (await fetch('/__patkit/env.json')).json()) as Env;
}

/** One API call with an optional bearer credential and JSON body (test/support/http.ts). */
export function api(env: Env, credential: string | null, method: string, path: string, body?: unknown): Promise<Response> {
  return request(env.serverUrl, method, path, { token: credential ?? undefined, body });
}

/** A bearer session credential for this user (setup and checks behind the UI's back). */
export async function bearerSession(env: Env, username: string, password: string): Promise<string> {
  const answer = await api(env, null, 'POST', '/api/v1/sessions', { username, password, mode: 'bearer' });
  return ((await answer.json()) as { credential: string }).credential;
}
