/* zs-engine-source.h: a live run of our own nodes as a run session's source
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-engine.h"
#include "zs-run-source.h"

G_BEGIN_DECLS

#define ZS_TYPE_ENGINE_SOURCE (zs_engine_source_get_type ())
G_DECLARE_FINAL_TYPE (ZsEngineSource, zs_engine_source, ZS, ENGINE_SOURCE, GObject)

/* Takes a reference to a started (or about to start) engine. */
ZsEngineSource *zs_engine_source_new        (ZsEngine       *engine);
ZsEngine       *zs_engine_source_get_engine (ZsEngineSource *self);

G_END_DECLS
