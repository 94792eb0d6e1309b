// The registry of the page's views: each is one module (see view.ts and README "Adding a view").
import type { ViewDefinition } from "./view";
import { online } from "./views/online";

export const views: ViewDefinition<any, any>[] = [online];

export const viewById = (id: string | null) => views.find((v) => v.id === id);
