/**
 * Vendor credential formats, written from each vendor's published token format. Every pattern is
 * anchored at the start of a word (sticky) and triggered by a literal prefix, so a line without
 * any of the prefixes costs one table lookup per word.
 */
import type { RegexDetector, Strength } from './types.ts';
import { isGithubTokenChecksumValid, isPlaceholder, shannonEntropy } from './validators.ts';

const END = '(?![A-Za-z0-9_-])';

/** Rejects masks, sample values and low-entropy fillers such as `AKCpXXXX...`. */
function plausibleToken(text: string, start: number, end: number): number {
  const value = text.slice(start, end);
  if (isPlaceholder(value)) return -1;
  return shannonEntropy(value) >= 3 ? end : -1;
}

function githubChecksum(text: string, start: number, end: number): number {
  return isGithubTokenChecksumValid(text.slice(start, end)) ? end : -1;
}

interface VendorSpec {
  readonly id: string;
  readonly prefixes: readonly string[];
  readonly body: string;
  readonly strength?: Strength;
  readonly check?: (text: string, start: number, end: number) => number;
  readonly ignoreCase?: boolean;
}

const specs: readonly VendorSpec[] = [
  {
    id: 'aws-access-key-id',
    prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
    body: `(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}${END}`,
  },
  { id: 'aws-bedrock-api-key', prefixes: ['ABSK'], body: `ABSK[A-Za-z0-9+/]{109,269}={0,2}` },
  {
    id: 'github-pat',
    prefixes: ['ghp_'],
    body: `ghp_[A-Za-z0-9]{36}${END}`,
    strength: 3,
    check: githubChecksum,
  },
  {
    id: 'github-oauth',
    prefixes: ['gho_'],
    body: `gho_[A-Za-z0-9]{36}${END}`,
    strength: 3,
    check: githubChecksum,
  },
  {
    id: 'github-user-to-server',
    prefixes: ['ghu_'],
    body: `ghu_[A-Za-z0-9]{36}${END}`,
    strength: 3,
    check: githubChecksum,
  },
  {
    id: 'github-server-to-server',
    prefixes: ['ghs_'],
    body: `ghs_[A-Za-z0-9]{36}${END}`,
    strength: 3,
    check: githubChecksum,
  },
  {
    id: 'github-refresh',
    prefixes: ['ghr_'],
    body: `ghr_[A-Za-z0-9]{36}${END}`,
    strength: 3,
    check: githubChecksum,
  },
  {
    id: 'github-fine-grained-pat',
    prefixes: ['github_pat_'],
    body: `github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}${END}`,
  },
  {
    id: 'gitlab-token',
    prefixes: [
      'glpat-',
      'gldt-',
      'glrt-',
      'glptt-',
      'glcbt-',
      'glimt-',
      'glft-',
      'glsoat-',
      'gloas-',
      'glagent-',
    ],
    body: `gl(?:pat|dt|rt|ptt|cbt|imt|ft|soat|oas|agent)-[A-Za-z0-9_-]{20,}(?:\\.[0-9a-z]{2}[0-9a-z]{7})?${END}`,
  },
  {
    id: 'gitlab-runner-registration',
    prefixes: ['GR1348941'],
    body: `GR1348941[A-Za-z0-9_-]{20}${END}`,
  },
  {
    id: 'slack-token',
    prefixes: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe'],
    body: `(?:xox[bpars]-\\d{8,13}-\\d{8,13}(?:-\\d{8,13})?-[A-Za-z0-9]{24,32}|xoxe(?:\\.xox[bp])?-\\d-[A-Z0-9]{140,170})${END}`,
  },
  {
    id: 'slack-app-token',
    prefixes: ['xapp-'],
    body: `xapp-\\d-[A-Z0-9]+-\\d+-[a-z0-9]{40,}${END}`,
  },
  {
    id: 'slack-webhook',
    prefixes: ['https://hooks.slack.com/'],
    body: `https://hooks\\.slack\\.com/(?:services|workflows)/T[A-Z0-9]+/[A-Z0-9]+/[A-Za-z0-9]{20,}`,
  },
  {
    id: 'stripe-key',
    prefixes: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'pk_live_', 'pk_test_'],
    body: `[srp]k_(?:live|test)_[A-Za-z0-9]{10,99}${END}`,
  },
  { id: 'stripe-webhook-secret', prefixes: ['whsec_'], body: `whsec_[A-Za-z0-9+/]{32,}={0,2}` },
  // every issued key starts `AIzaSy`; other `AIza...` strings are not keys
  { id: 'google-api-key', prefixes: ['AIzaSy'], body: `AIzaSy[A-Za-z0-9_-]{33}${END}` },
  {
    id: 'google-oauth-client-secret',
    prefixes: ['GOCSPX-'],
    body: `GOCSPX-[A-Za-z0-9_-]{28}${END}`,
  },
  { id: 'google-oauth-access-token', prefixes: ['ya29.'], body: `ya29\\.[A-Za-z0-9_-]{30,}${END}` },
  { id: 'npm-token', prefixes: ['npm_'], body: `npm_[A-Za-z0-9]{36}${END}` },
  {
    id: 'openai-api-key',
    prefixes: ['sk-'],
    body: `sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}${END}`,
  },
  {
    id: 'anthropic-api-key',
    prefixes: ['sk-ant-'],
    body: `sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{80,}${END}`,
  },
  { id: 'twilio-api-key', prefixes: ['SK'], body: `SK[0-9a-f]{32}${END}` },
  { id: 'twilio-account-sid', prefixes: ['AC'], body: `AC[0-9a-f]{32}${END}` },
  {
    id: 'sendgrid-api-key',
    prefixes: ['SG.'],
    body: `SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${END}`,
  },
  { id: 'mailgun-api-key', prefixes: ['key-'], body: `key-[0-9a-f]{32}${END}` },
  {
    id: 'shopify-token',
    prefixes: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    body: `shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${END}`,
  },
  { id: 'pypi-token', prefixes: ['pypi-'], body: `pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}` },
  { id: 'docker-hub-pat', prefixes: ['dckr_pat_'], body: `dckr_pat_[A-Za-z0-9_-]{27,}${END}` },
  {
    id: 'digitalocean-token',
    prefixes: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    body: `do[opr]_v1_[a-f0-9]{64}${END}`,
  },
  {
    id: 'hashicorp-vault-token',
    prefixes: ['hvs.', 'hvb.'],
    body: `hv[sb]\\.[A-Za-z0-9_-]{24,}${END}`,
  },
  { id: 'atlassian-api-token', prefixes: ['ATATT3'], body: `ATATT3[A-Za-z0-9_=-]{180,}` },
  { id: 'azure-storage-key', prefixes: ['AccountKey='], body: `AccountKey=[A-Za-z0-9+/]{86}==` },
  { id: 'databricks-token', prefixes: ['dapi'], body: `dapi[a-f0-9]{32}(?:-\\d)?${END}` },
  { id: 'linear-api-key', prefixes: ['lin_api_'], body: `lin_api_[A-Za-z0-9]{40}${END}` },
  {
    id: 'newrelic-key',
    prefixes: ['NRAK-', 'NRJS-', 'NRII-'],
    body: `NR(?:AK|JS|II)-[A-Za-z0-9]{19,32}${END}`,
  },
  { id: 'grafana-cloud-token', prefixes: ['glc_'], body: `glc_[A-Za-z0-9+/]{32,400}={0,2}` },
  {
    id: 'grafana-service-account-token',
    prefixes: ['glsa_'],
    body: `glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}${END}`,
  },
  { id: 'postman-api-key', prefixes: ['PMAK-'], body: `PMAK-[a-f0-9]{24}-[a-f0-9]{34}${END}` },
  {
    id: 'doppler-token',
    prefixes: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    body: `dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}${END}`,
  },
  {
    id: 'huggingface-token',
    prefixes: ['hf_', 'api_org_'],
    body: `(?:hf_|api_org_)[A-Za-z]{34}${END}`,
  },
  {
    id: 'age-secret-key',
    prefixes: ['AGE-SECRET-KEY-1'],
    body: `AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`,
  },
  {
    id: 'square-token',
    prefixes: ['sq0atp-', 'sq0csp-', 'EAAA'],
    body: `(?:sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43}|EAAA[A-Za-z0-9_-]{60})${END}`,
  },
  { id: 'shippo-token', prefixes: ['shippo_'], body: `shippo_(?:live|test)_[a-f0-9]{40}${END}` },
  {
    id: 'planetscale-token',
    prefixes: ['pscale_'],
    body: `pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.=-]{32,64}${END}`,
  },
  {
    id: 'sentry-token',
    prefixes: ['sntrys_', 'sntryu_'],
    body: `(?:sntrys_eyJ[A-Za-z0-9+/=_-]{50,}|sntryu_[a-f0-9]{64})${END}`,
  },
  {
    id: '1password-service-account',
    prefixes: ['ops_eyJ'],
    body: `ops_eyJ[A-Za-z0-9+/]{250,}={0,3}`,
  },
  { id: 'perplexity-api-key', prefixes: ['pplx-'], body: `pplx-[A-Za-z0-9]{48}${END}` },
  {
    id: 'flyio-token',
    prefixes: ['fo1_', 'fm1', 'fm2_', 'FlyV1'],
    body: `(?:fo1_[A-Za-z0-9_-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3}|FlyV1 fm\\d[ar]?_[A-Za-z0-9+/]{100,}={0,3})`,
  },
  { id: 'rubygems-api-key', prefixes: ['rubygems_'], body: `rubygems_[a-f0-9]{48}${END}` },
  {
    id: 'dynatrace-token',
    prefixes: ['dt0c01.'],
    body: `dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}${END}`,
  },
  { id: 'alibaba-access-key', prefixes: ['LTAI'], body: `LTAI[A-Za-z0-9]{20}${END}` },
  { id: 'readme-api-key', prefixes: ['rdme_'], body: `rdme_[a-z0-9]{70}${END}` },
  {
    id: 'sourcegraph-token',
    prefixes: ['sgp_'],
    body: `sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}${END}`,
  },
  { id: 'infracost-api-key', prefixes: ['ico-'], body: `ico-[A-Za-z0-9]{32}${END}` },
  { id: 'artifactory-api-key', prefixes: ['AKCp'], body: `AKCp[A-Za-z0-9]{69}${END}` },
  { id: 'pulumi-token', prefixes: ['pul-'], body: `pul-[a-f0-9]{40}${END}` },
  { id: 'prefect-api-key', prefixes: ['pnu_'], body: `pnu_[A-Za-z0-9]{36}${END}` },
  { id: 'clojars-token', prefixes: ['CLOJARS_'], body: `CLOJARS_[a-z0-9]{60}${END}` },
  { id: 'frameio-token', prefixes: ['fio-u-'], body: `fio-u-[A-Za-z0-9_=-]{64}${END}` },
  { id: 'scaleway-key', prefixes: ['SCW'], body: `SCW[A-Z0-9]{17}${END}` },
];

/** Vendor token detectors (more than 60 formats). */
export const vendorDetectors: readonly RegexDetector[] = specs.map((s) => {
  const base = s.check ?? plausibleToken;
  return {
    id: s.id,
    kind: 'SECRET',
    strength: s.strength ?? 2,
    prefixes: s.prefixes,
    pattern: new RegExp(s.body, s.ignoreCase === true ? 'iy' : 'y'),
    check:
      s.check === undefined
        ? base
        : (t, a, b) => (base(t, a, b) < 0 ? -1 : plausibleToken(t, a, b)),
  };
});

/** Vendor formats without a fixed prefix, gated by an infix literal instead. */
export const infixVendorDetectors: readonly RegexDetector[] = [
  {
    id: 'telegram-bot-token',
    kind: 'SECRET',
    strength: 2,
    contains: ':AA',
    needs: ':',
    pattern: /(?<![A-Za-z0-9])\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
    check: plausibleToken,
  },
  {
    id: 'mailchimp-api-key',
    kind: 'SECRET',
    strength: 2,
    contains: '-us',
    needs: '-',
    pattern: /(?<![A-Za-z0-9])[0-9a-f]{32}-us\d{1,2}(?![A-Za-z0-9_-])/g,
    check: plausibleToken,
  },
  {
    id: 'terraform-cloud-token',
    kind: 'SECRET',
    strength: 2,
    contains: '.atlasv1.',
    needs: '.',
    pattern: /(?<![A-Za-z0-9])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_-])/g,
    check: plausibleToken,
  },
  {
    id: 'azure-ad-client-secret',
    kind: 'SECRET',
    strength: 2,
    contains: 'Q~',
    needs: '~',
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
    check: plausibleToken,
  },
];
