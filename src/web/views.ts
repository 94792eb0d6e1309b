// The registry of the page's views: each is one module (see view.ts and README "Adding a view").
import type { ViewDefinition } from "./view";
import { online } from "./views/online";
import { equilibriumView } from "./views/equilibrium";

export const views: ViewDefinition<any, any>[] = [online, equilibriumView];

export const viewById = (id: string | null) => views.find((v) => v.id === id);
