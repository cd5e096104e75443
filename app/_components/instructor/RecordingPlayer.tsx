"use client";

import "asciinema-player/dist/bundle/asciinema-player.css";
import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import type { Player } from "asciinema-player";

const SPEEDS = [0.5, 1, 2, 4, 8];

/**
 * Replays one Terminal's asciicast (fetched through the app's authorized route) with
 * asciinema-player, plus keyboard-usable controls of our own: play/pause, speed and a seek slider.
 * The player is created in an effect (it touches `window`); a speed change recreates it at the
 * same moment, because asciinema-player takes the speed at creation.
 */
export default function RecordingPlayer({ src, title }: { src: string; title: string }) {
  const t = useTranslations("instructor");
  const host = useRef<HTMLDivElement>(null);
  const player = useRef<Player | null>(null);
  const [speed, setSpeed] = useState(1);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [state, setState] = useState<"loading" | "ready" | "error">("loading");
  // The player is remade when the speed changes: until the new one is up, the controls are off
  // (derived in the same render as the change, so a click cannot reach the player being replaced).
  const key = `${src}@${speed}`;
  const [readyKey, setReadyKey] = useState<string | null>(null);
  const ready = state === "ready" && readyKey === key;
  const startAt = useRef(0);

  useEffect(() => {
    let disposed = false;
    let poll: ReturnType<typeof setInterval> | undefined;
    (async () => {
      try {
        const res = await fetch(src, { credentials: "same-origin" });
        if (!res.ok) throw new Error(String(res.status));
        const cast = await res.text();
        const AsciinemaPlayer = await import("asciinema-player");
        if (disposed || !host.current) return;
        host.current.replaceChildren();
        const p = AsciinemaPlayer.create({ data: cast }, host.current, {
          speed,
          startAt: startAt.current,
          fit: "width",
          idleTimeLimit: 2,
          controls: true,
          terminalFontFamily: '"DejaVu Sans Mono", Menlo, Consolas, monospace',
        });
        player.current = p;
        p.addEventListener("play", () => setPlaying(true));
        p.addEventListener("playing", () => setPlaying(true));
        p.addEventListener("pause", () => setPlaying(false));
        p.addEventListener("ended", () => setPlaying(false));
        setPlaying(false);
        setState("ready");
        setReadyKey(`${src}@${speed}`);
        poll = setInterval(() => {
          setTime(p.getCurrentTime());
          setDuration(p.getDuration() ?? 0);
        }, 250);
      } catch {
        if (!disposed) setState("error");
      }
    })();
    return () => {
      disposed = true;
      if (poll) clearInterval(poll);
      startAt.current = player.current?.getCurrentTime() ?? startAt.current;
      player.current?.dispose();
      player.current = null;
    };
  }, [src, speed]);

  const fmt = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;

  return (
    <figure className="replay" aria-label={title} data-testid="replay">
      <div className="replay__controls">
        <button
          type="button"
          className="btn btn--primary btn--small"
          disabled={!ready}
          onClick={() => void (playing ? player.current?.pause() : player.current?.play())}
          data-testid="replay-toggle"
        >
          {playing ? t("pause") : t("play")}
        </button>
        <label className="field field--inline">
          <span className="field__label">{t("speed")}</span>
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} data-testid="replay-speed">
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <label className="field field--inline replay__seek">
          <span className="field__label">{t("position")}</span>
          <input
            type="range"
            min={0}
            max={Math.max(duration, 0.1)}
            step={0.1}
            value={Math.min(time, duration)}
            disabled={!ready}
            onChange={(e) => {
              const v = Number(e.target.value);
              setTime(v);
              void player.current?.seek(v);
            }}
            aria-valuetext={`${fmt(time)} / ${fmt(duration)}`}
            data-testid="replay-seek"
          />
        </label>
        <span className="small muted" aria-hidden="true">
          {fmt(time)} / {fmt(duration)}
        </span>
      </div>
      {state === "loading" && <p className="muted">{t("loadingRecording")}</p>}
      {state === "error" && (
        <p className="form-error" role="alert">
          {t("recordingError")}
        </p>
      )}
      <div ref={host} className="replay__screen" />
    </figure>
  );
}
