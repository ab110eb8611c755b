import type { ReactNode } from 'react';
import type { VerdictValue } from '../../shared/api/types';
import { VERDICT_TEXT } from './format';

export function Page(props: { title: string; subtitle?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-head">
        <div>
          <h1 id="page-title">{props.title}</h1>
          {props.subtitle ? <p className="subtitle">{props.subtitle}</p> : null}
        </div>
        {props.actions ? <div className="actions">{props.actions}</div> : null}
      </header>
      {props.children}
    </section>
  );
}

export function Panel(props: { title?: string; children: ReactNode; className?: string; actions?: ReactNode }) {
  return (
    <div className={`panel ${props.className ?? ''}`}>
      {props.title ? (
        <div className="panel-head">
          <h2>{props.title}</h2>
          {props.actions}
        </div>
      ) : null}
      {props.children}
    </div>
  );
}

export function Badge(props: { verdict: VerdictValue | string | null | undefined; large?: boolean }) {
  const v = props.verdict ?? 'none';
  const text = (VERDICT_TEXT as Record<string, string>)[v] ?? v;
  return <span className={`badge badge-${v} ${props.large ? 'badge-large' : ''}`}>{text}</span>;
}

export function Tag(props: { children: ReactNode; tone?: 'warn' | 'muted' | 'info' | 'danger' }) {
  return <span className={`tag tag-${props.tone ?? 'muted'}`}>{props.children}</span>;
}

export function ErrorBox(props: { error: string | null; title?: string }) {
  if (!props.error) return null;
  return (
    <div className="error-box" role="alert">
      {props.title ? <strong>{props.title}</strong> : null}
      <div>{props.error}</div>
    </div>
  );
}

export function Empty(props: { children: ReactNode }) {
  return <div className="empty">{props.children}</div>;
}

export function Stat(props: { label: string; value: ReactNode }) {
  return (
    <div className="stat">
      <div className="stat-value">{props.value}</div>
      <div className="stat-label">{props.label}</div>
    </div>
  );
}
