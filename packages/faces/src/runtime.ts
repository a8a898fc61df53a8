import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as FaceApi from "@vladmandic/face-api";

/**
 * The face models and their TensorFlow.js runtime, loaded once per process and only when first
 * needed (the API process never pays for them). The WebAssembly backend runs on one thread — Node
 * gives it no worker threads, and it is pinned to one all the same so a shared machine keeps its
 * other core — and its binaries and the model weights are read from the installed packages:
 * nothing is ever fetched over the network.
 */
export type FaceApiModule = typeof FaceApi;

const require = createRequire(import.meta.url);
let loading: Promise<FaceApiModule> | undefined;

export function faceApi(): Promise<FaceApiModule> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined; // a later call may try again
    throw error;
  });
  return loading;
}

/** The face-recognition (128-d descriptor) model, loaded on first use: only measurement needs it. */
let recognition: Promise<void> | undefined;
export async function withRecognition(): Promise<FaceApiModule> {
  const api = await faceApi();
  recognition ??= api.nets.faceRecognitionNet.loadFromDisk(modelDir());
  await recognition;
  return api;
}

async function load(): Promise<FaceApiModule> {
  const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof import("@tensorflow/tfjs-backend-wasm");
  // The package's node-wasm build: it brings @tensorflow/tfjs and the wasm backend, not tfjs-node.
  const api = require("@vladmandic/face-api/dist/face-api.node-wasm.js") as FaceApiModule;
  wasm.setWasmPaths(
    `${join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist")}/`,
  );
  wasm.setThreadsCount(1);
  // The same @tensorflow/tfjs instance the face-api build uses: its registry holds the backends.
  const tf = require("@tensorflow/tfjs") as typeof import("@tensorflow/tfjs");
  await tf.setBackend("wasm");
  await tf.ready();
  const dir = modelDir();
  await api.nets.ssdMobilenetv1.loadFromDisk(dir);
  await api.nets.faceLandmark68Net.loadFromDisk(dir);
  return api;
}

function modelDir(): string {
  return join(dirname(require.resolve("@vladmandic/face-api/package.json")), "model");
}
