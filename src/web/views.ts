// The registry of the page's views: each is one module (see view.ts and README "Adding a view").
import type { ViewDefinition } from "./view";
import { online } from "./views/online";
import { regimes } from "./views/regimes";
import { equilibriumView } from "./views/equilibrium";
import { popgrad } from "./views/popgrad";
import { optimalLr } from "./views/optimalLr";
import { overparameterisationView } from "./views/overparameterisation";
import { largeK } from "./views/largeK";
import { schedules } from "./views/schedules";

export const views: ViewDefinition<any, any>[] = [online, regimes, largeK, equilibriumView, popgrad, optimalLr, schedules, overparameterisationView];

export const viewById = (id: string | null) => views.find((v) => v.id === id);
