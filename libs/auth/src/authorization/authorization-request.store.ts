import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthorizationRequest } from './authorization-request.parser';

/** How long a browser may take between the authorization request and its login or consent. */
const PENDING_SECONDS = 600;

/** An authorization request as validated, waiting for a login or a consent. */
export interface PendingAuthorization extends Omit<AuthorizationRequest, 'client'> {
  id: string;
  clientId: string;
  /** The SSO session that authenticated the user, once one has. */
  sessionId?: string;
}

/**
 * Pending authorization requests, in `auth.authorization_requests`, each bound to the browser
 * that made it (the SHA-256 of its binding cookie): a form submitted from another browser
 * finds nothing.
 */
@Injectable()
export class AuthorizationRequestStore {
  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  async create(browserHash: Buffer, request: Omit<PendingAuthorization, 'id'>): Promise<string> {
    const id = randomUUID();
    await this.dataSource.query(
      `INSERT INTO auth.authorization_requests
         (id, browser_hash, client_id, redirect_uri, scopes, state, nonce, code_challenge, prompt,
          max_age, session_id, hinted_subject, resources, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
               now() + make_interval(secs => $14))`,
      [
        id,
        browserHash,
        request.clientId,
        request.redirectUri,
        request.scopes,
        request.state ?? null,
        request.nonce ?? null,
        request.codeChallenge,
        request.prompt,
        request.maxAge ?? null,
        request.sessionId ?? null,
        request.hintedSubject ?? null,
        request.resources,
        PENDING_SECONDS,
      ],
    );
    return id;
  }

  /** The live request `id` of this browser, if any. */
  async find(id: string, browserHash: Buffer): Promise<PendingAuthorization | undefined> {
    const rows: (PendingAuthorization & {
      state: string | null;
      nonce: string | null;
      hintedSubject: string | null;
    })[] = await this.dataSource.query(
      `SELECT id, client_id AS "clientId", redirect_uri AS "redirectUri", scopes, state, nonce,
                code_challenge AS "codeChallenge", prompt, max_age AS "maxAge",
                session_id AS "sessionId", hinted_subject AS "hintedSubject",
                coalesce(resources, '{}') AS resources
           FROM auth.authorization_requests
          WHERE id = $1 AND browser_hash = $2 AND expires_at > now()`,
      [id, browserHash],
    );
    const [row] = rows;
    if (!row) return undefined;
    return {
      ...row,
      state: row.state ?? undefined,
      nonce: row.nonce ?? undefined,
      maxAge: row.maxAge ?? undefined,
      sessionId: row.sessionId ?? undefined,
      hintedSubject: row.hintedSubject ?? undefined,
    };
  }

  /** The user authenticated for this request, in the SSO session `sessionId`. */
  async authenticated(id: string, sessionId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth.authorization_requests SET session_id = $2 WHERE id = $1`,
      [id, sessionId],
    );
  }

  /** The request is answered: it cannot be continued again. */
  async complete(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM auth.authorization_requests WHERE id = $1`, [id]);
  }
}
