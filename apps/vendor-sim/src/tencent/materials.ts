import type { Box } from "../images/fusion";
import type { RawImage } from "../images/inspect";
import { syntheticGroup } from "../images/synthetic";

/**
 * Face Fusion "activities" (ProjectId) and their "materials" (ModelId): on Tencent they are made
 * in the console, each material a template picture with numbered faces. The simulator draws
 * each material's template itself: one synthetic face per face id, the first the largest (the
 * one used when a MergeInfo names no TemplateFaceID).
 */

export interface TencentMaterial {
  /** Activity id, e.g. `at_sim_project`. */
  projectId: string;
  /** Material id, e.g. `mt_sim_model`. */
  modelId: string;
  /** Face ids in the template, e.g. `mt_sim_model_1`. At least one. */
  faceIds: string[];
  /** Template size. @defaultValue 720 × 540 */
  width?: number;
  height?: number;
}

export const DEFAULT_MATERIAL: TencentMaterial = {
  projectId: "at_sim_project",
  modelId: "mt_sim_model",
  faceIds: ["mt_sim_model_1", "mt_sim_model_2"],
};

export interface MaterialTemplate {
  image: RawImage;
  faces: ReadonlyMap<string, Box>;
  /** Face ids from the largest face down. */
  bySize: readonly string[];
}

export class MaterialCatalog {
  private readonly templates = new Map<TencentMaterial, Promise<MaterialTemplate>>();

  constructor(private readonly materials: readonly TencentMaterial[]) {
    for (const material of materials) {
      if (material.faceIds.length === 0) throw new Error(`material ${material.modelId} has no face ids`);
    }
  }

  hasProject(projectId: string): boolean {
    return this.materials.some((m) => m.projectId === projectId);
  }

  find(projectId: string, modelId: string): TencentMaterial | undefined {
    return this.materials.find((m) => m.projectId === projectId && m.modelId === modelId);
  }

  /** The material's template picture and face boxes, drawn once and kept. */
  template(material: TencentMaterial): Promise<MaterialTemplate> {
    let template = this.templates.get(material);
    if (!template) {
      template = draw(material);
      this.templates.set(material, template);
    }
    return template;
  }
}

async function draw(material: TencentMaterial): Promise<MaterialTemplate> {
  const width = material.width ?? 720;
  const height = material.height ?? 540;
  const { image, faces } = await syntheticGroup(width, height, material.faceIds.length);
  const boxes = new Map<string, Box>();
  material.faceIds.forEach((id, i) => {
    const box = faces[i];
    if (box) boxes.set(id, box);
  });
  const bySize = [...boxes.entries()].sort((a, b) => b[1].width * b[1].height - a[1].width * a[1].height);
  return { image, faces: boxes, bySize: bySize.map(([id]) => id) };
}
