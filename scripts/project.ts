import * as path from 'node:path';

/**
 * The repository root. This file compiles to dist/project.js and runs under ts-jest as
 * scripts/project.ts: both sit one level below the root.
 */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** The package directory that is deployed and packaged. */
export const PACKAGE_DIR = path.join(PROJECT_ROOT, 'force-app');

/** Demo-only metadata (Lead Status values etc.), deployed to scratch/demo orgs and the local org, never packaged. */
export const DEMO_DIR = path.join(PROJECT_ROOT, 'config', 'demo');

/** Where the local org keeps its database and connection file by default. */
export const LOCAL_ORG_DIR = path.join(PROJECT_ROOT, '.localorg');
export const DEFAULT_CONNECTION_FILE = path.join(LOCAL_ORG_DIR, 'connection.json');

/** The API version our code and the local org speak (matches sfdx-project.json sourceApiVersion). */
export const API_VERSION = '64.0';

/**
 * The oldest API version a Salesforce org still answers: versions 21.0–30.0 were retired in Summer '25 (the
 * REST API answers 410 GONE), so 31.0 is the first supported one
 * (https://help.salesforce.com/s/articleView?id=000354473&type=1).
 */
export const OLDEST_API_VERSION = '31.0';
