/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kdx-job.h"
#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_EXCHANGE_ERROR (kdx_exchange_error_quark ())

typedef enum
{
  KDX_EXCHANGE_ERROR_IO,
  KDX_EXCHANGE_ERROR_MALFORMED,
  KDX_EXCHANGE_ERROR_FORBIDDEN,
  KDX_EXCHANGE_ERROR_INVALID,
  KDX_EXCHANGE_ERROR_NOT_EMPTY,
} KdxExchangeError;

#define KDX_EXCHANGE_NAMESPACE "urn:kodex:exchange:1"

GQuark   kdx_exchange_error_quark (void);

/* Writes the whole workspace as XML: to a temporary file, renamed over
 * @path when complete; 0600. */
gboolean kdx_exchange_export_xml  (KdxStore      *store,
                                   const char    *path,
                                   KdxJob        *job,
                                   GCancellable  *cancellable,
                                   GError       **error);

/* Reads an exchange document into an empty workspace (no people, no
 * policies): one transaction, all or nothing. Any DOCTYPE is refused; the
 * document is validated against data/schema/kodex-exchange.rng while it
 * is read, and what the schema cannot say (references, unique keys, one
 * published version per policy, …) is checked before anything is
 * written. Errors name the line. */
gboolean kdx_exchange_import_xml  (KdxStore      *store,
                                   const char    *path,
                                   KdxJob        *job,
                                   GCancellable  *cancellable,
                                   GError       **error);

/* For the fuzzer: the same reader over bytes in memory, into @store. */
gboolean kdx_exchange_import_xml_memory (KdxStore      *store,
                                         const char    *data,
                                         gsize          length,
                                         GError       **error);

G_END_DECLS
