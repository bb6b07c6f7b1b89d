/** Generators of valid sensitive values for tests and benchmarks (seeded, deterministic). */
import { crc32, toBase62 } from '../src/core/redact/validators.ts';

/** A tiny seeded PRNG (mulberry32), test-side only. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEXL = '0123456789abcdef';
const B64 = ALNUM + '+/';
const URLSAFE = ALNUM + '_-';

function pick(rng: () => number, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rng() * alphabet.length)]!;
  return s;
}

function githubToken(rng: () => number, prefix: string): string {
  const body = pick(rng, ALNUM, 30);
  return `${prefix}${body}${toBase62(crc32(body), 6)}`;
}

/** One valid-looking token per vendor detector id. */
export function vendorSamples(seed: number): Record<string, string> {
  const r = createRng(seed);
  const p = (a: string, n: number) => pick(r, a, n);
  return {
    'aws-access-key-id': `AKIA${p('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
    'aws-bedrock-api-key': `ABSK${p(B64, 132)}`,
    'github-pat': githubToken(r, 'ghp_'),
    'github-oauth': githubToken(r, 'gho_'),
    'github-user-to-server': githubToken(r, 'ghu_'),
    'github-server-to-server': githubToken(r, 'ghs_'),
    'github-refresh': githubToken(r, 'ghr_'),
    'github-fine-grained-pat': `github_pat_${p(ALNUM, 22)}_${p(ALNUM, 59)}`,
    'gitlab-token': `glpat-${p(URLSAFE, 20)}`,
    'gitlab-runner-registration': `GR1348941${p(URLSAFE, 20)}`,
    'slack-token': `xoxb-${p('0123456789', 11)}-${p('0123456789', 12)}-${p(ALNUM, 24)}`,
    'slack-app-token': `xapp-1-A${p(UPPER_NUM, 10)}-${p('0123456789', 13)}-${p(HEXL, 64)}`,
    'slack-webhook': `https://hooks.slack.com/services/T${p(UPPER_NUM, 8)}/B${p(UPPER_NUM, 8)}/${p(ALNUM, 24)}`,
    'stripe-key': `sk_live_${p(ALNUM, 24)}`,
    'stripe-webhook-secret': `whsec_${p(ALNUM, 32)}`,
    'google-api-key': `AIzaSy${p(URLSAFE, 33)}`,
    'google-oauth-client-secret': `GOCSPX-${p(URLSAFE, 28)}`,
    'google-oauth-access-token': `ya29.${p(URLSAFE, 60)}`,
    'npm-token': `npm_${p(ALNUM, 36)}`,
    'openai-api-key': `sk-proj-${p(URLSAFE, 24)}T3BlbkFJ${p(URLSAFE, 24)}`,
    'anthropic-api-key': `sk-ant-api03-${p(URLSAFE, 93)}AA`,
    'twilio-api-key': `SK${p(HEXL, 32)}`,
    'twilio-account-sid': `AC${p(HEXL, 32)}`,
    'sendgrid-api-key': `SG.${p(URLSAFE, 22)}.${p(URLSAFE, 43)}`,
    'mailgun-api-key': `key-${p(HEXL, 32)}`,
    'shopify-token': `shpat_${p(HEXL, 32)}`,
    'pypi-token': `pypi-AgEIcHlwaS5vcmc${p(URLSAFE, 70)}`,
    'docker-hub-pat': `dckr_pat_${p(URLSAFE, 27)}`,
    'digitalocean-token': `dop_v1_${p(HEXL, 64)}`,
    'hashicorp-vault-token': `hvs.${p(URLSAFE, 90)}`,
    'atlassian-api-token': `ATATT3${p(URLSAFE, 186)}`,
    'azure-storage-key': `AccountKey=${p(B64, 86)}==`,
    'databricks-token': `dapi${p(HEXL, 32)}`,
    'linear-api-key': `lin_api_${p(ALNUM, 40)}`,
    'newrelic-key': `NRAK-${p(UPPER_NUM, 27)}`,
    'grafana-cloud-token': `glc_${p(B64, 60)}==`,
    'grafana-service-account-token': `glsa_${p(ALNUM, 32)}_${p(HEXL, 8)}`,
    'postman-api-key': `PMAK-${p(HEXL, 24)}-${p(HEXL, 34)}`,
    'doppler-token': `dp.pt.${p(ALNUM, 43)}`,
    'huggingface-token': `hf_${p('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 34)}`,
    'age-secret-key': `AGE-SECRET-KEY-1${p('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`,
    'square-token': `sq0atp-${p(URLSAFE, 22)}`,
    'shippo-token': `shippo_live_${p(HEXL, 40)}`,
    'planetscale-token': `pscale_tkn_${p(URLSAFE, 43)}`,
    'sentry-token': `sntryu_${p(HEXL, 64)}`,
    '1password-service-account': `ops_eyJ${p(B64, 300)}`,
    'perplexity-api-key': `pplx-${p(ALNUM, 48)}`,
    'flyio-token': `fo1_${p(URLSAFE, 43)}`,
    'rubygems-api-key': `rubygems_${p(HEXL, 48)}`,
    'dynatrace-token': `dt0c01.${p(UPPER_NUM, 24)}.${p(UPPER_NUM, 64)}`,
    'alibaba-access-key': `LTAI${p(ALNUM, 20)}`,
    'readme-api-key': `rdme_${p('abcdefghijklmnopqrstuvwxyz0123456789', 70)}`,
    'sourcegraph-token': `sgp_${p(HEXL, 16)}_${p(HEXL, 40)}`,
    'infracost-api-key': `ico-${p(ALNUM, 32)}`,
    'artifactory-api-key': `AKCp${p(ALNUM, 69)}`,
    'pulumi-token': `pul-${p(HEXL, 40)}`,
    'prefect-api-key': `pnu_${p(ALNUM, 36)}`,
    'clojars-token': `CLOJARS_${p('abcdefghijklmnopqrstuvwxyz0123456789', 60)}`,
    'frameio-token': `fio-u-${p(URLSAFE, 64)}`,
    'scaleway-key': `SCW${p(UPPER_NUM, 17)}`,
    'telegram-bot-token': `${1 + Math.floor(r() * 8)}${p('0123456789', 8)}:AA${p(URLSAFE, 33)}`,
    'mailchimp-api-key': `${p(HEXL, 32)}-us${1 + Math.floor(r() * 20)}`,
    'terraform-cloud-token': `${p(ALNUM, 14)}.atlasv1.${p(URLSAFE, 67)}`,
    'azure-ad-client-secret': `${p(ALNUM, 3)}8Q~${p(URLSAFE, 34)}`,
  };
}

function luhnComplete(prefix: string, length: number, rng: () => number): string {
  let body = prefix + pick(rng, '0123456789', length - prefix.length - 1);
  for (let d = 0; d <= 9; d++) {
    const candidate = body + String(d);
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let x = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) {
        x *= 2;
        if (x > 9) x -= 9;
      }
      sum += x;
    }
    if (sum % 10 === 0) {
      body = candidate;
      break;
    }
  }
  return body;
}

function ibanFor(country: string, bban: string): string {
  const r = (bban + country + '00')
    .split('')
    .map((c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c))
    .join('');
  let rem = 0;
  for (const ch of r) rem = (rem * 10 + Number(ch)) % 97;
  const check = String(98 - rem).padStart(2, '0');
  return country + check + bban;
}

/** Structured PII samples of each kind, valid by construction. */
export function piiSamples(seed: number): Record<string, string> {
  const r = createRng(seed);
  const n = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const p = (a: string, k: number) => pick(r, a, k);
  const area = String(n(1, 665)).padStart(3, '0');
  return {
    EMAIL: `${p('abcdefghij', 6)}.${p('klmnop', 4)}@${p('abcdefgh', 5)}.example.com`,
    IPV4: `${n(1, 223)}.${n(0, 255)}.${n(0, 255)}.${n(1, 254)}`,
    IPV6: `2001:db8:${n(1, 65535).toString(16)}::${n(1, 65535).toString(16)}`,
    MAC: Array.from({ length: 6 }, () => p(HEXL.toUpperCase(), 2)).join(':'),
    CREDIT_CARD: luhnComplete('4', 16, r),
    AMEX: luhnComplete('37', 15, r),
    IBAN: ibanFor('DE', p('0123456789', 18)),
    SSN: `${area}-${String(n(1, 99)).padStart(2, '0')}-${String(n(1, 9999)).padStart(4, '0')}`,
    PHONE: `+1 ${n(201, 989)} ${n(200, 999)} ${String(n(0, 9999)).padStart(4, '0')}`,
    JWT: `eyJhbGciOiJIUzI1NiJ9.eyJ${p(URLSAFE, 20)}.${p(URLSAFE, 43)}`,
  };
}
