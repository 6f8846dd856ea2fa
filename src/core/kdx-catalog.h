/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Catalogs (frameworks) and their requirements: the EU AI Act, GDPR, NIST
 * AI RMF, ISO/IEC 42001 Annex A, the HLEG requirements and the Kodex
 * practices ship in data/catalogs/ and are in every workspace; more are
 * imported from Kodex catalog XML (data/schema/kodex-catalog.rng) or OSCAL
 * catalog XML. Reading follows SAFETY.md: xmlReader, no DOCTYPE, no
 * entities, no network, size limits; an import is all or nothing.
 */
#pragma once

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_CATALOG_ERROR (kdx_catalog_error_quark ())

typedef enum
{
  KDX_CATALOG_ERROR_MALFORMED,     /* not well-formed or not valid; the message has the line */
  KDX_CATALOG_ERROR_FORBIDDEN,     /* a DOCTYPE, an entity, an XInclude */
  KDX_CATALOG_ERROR_TOO_LARGE,     /* beyond the limits below */
  KDX_CATALOG_ERROR_DUPLICATE,     /* a requirement id twice, or the catalog exists */
  KDX_CATALOG_ERROR_UNKNOWN_PARENT,
  KDX_CATALOG_ERROR_NOT_FOUND,
  KDX_CATALOG_ERROR_IN_USE,        /* mapped requirements, or a shipped catalog */
  KDX_CATALOG_ERROR_UNSUPPORTED,   /* neither Kodex nor OSCAL */
} KdxCatalogError;

GQuark kdx_catalog_error_quark (void);

#define KDX_CATALOG_MAX_BYTES        (32 * 1024 * 1024)
#define KDX_CATALOG_MAX_REQUIREMENTS 50000
#define KDX_CATALOG_MAX_DEPTH        16
#define KDX_CATALOG_MAX_TEXT         (256 * 1024)

typedef enum
{
  KDX_CATALOG_FORMAT_AUTO,
  KDX_CATALOG_FORMAT_KODEX,
  KDX_CATALOG_FORMAT_OSCAL,
} KdxCatalogFormat;

typedef struct
{
  char    *uuid;
  char    *key;            /* "eu-ai-act": unique in a workspace */
  char    *title_en;
  char    *title_de;       /* may be NULL */
  char    *version;        /* "2024/1689", "1.0"; may be NULL */
  char    *source;         /* a citation */
  char    *source_url;     /* may be NULL */
  char    *licence;        /* the licence note */
  char    *legal_status_en; /* "In force since …; obligations apply from …"; may be NULL */
  char    *legal_status_de;
  char    *as_of;          /* YYYY-MM-DD: the date the content reflects */
  char    *format;         /* "kodex" or "oscal" */
  gboolean shipped;        /* comes with Kodex; cannot be removed */
  char    *imported;       /* ISO 8601 time it came into the workspace */
  guint    n_requirements;
} KdxCatalog;

void        kdx_catalog_free                (KdxCatalog *catalog);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxCatalog, kdx_catalog_free)
/* The title in the UI's language (German when it is German and there is
 * one), and the legal status likewise (NULL when none). */
const char *kdx_catalog_get_title           (const KdxCatalog *catalog);
const char *kdx_catalog_get_legal_status    (const KdxCatalog *catalog);

typedef struct
{
  char  *uuid;
  char  *catalog;          /* catalog key */
  char  *code;             /* "art-26", "GOVERN-1.1", "A.2.2"; unique in its catalog */
  char  *label;            /* how it is cited: "Art. 26", "GOVERN 1.1"; never NULL */
  char  *parent;           /* parent's code, or NULL */
  guint  depth;            /* 0 for top level */
  guint  position;         /* document order in the catalog */
  char  *title_en;
  char  *title_de;         /* may be NULL */
  char  *text_en;          /* summary or text; may be NULL */
  char  *text_de;
  char  *applies_from;     /* YYYY-MM-DD; may be NULL */
  char  *legal_status_en;  /* may be NULL */
  char  *legal_status_de;
} KdxRequirement;

void        kdx_requirement_free            (KdxRequirement *requirement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxRequirement, kdx_requirement_free)
const char *kdx_requirement_get_title       (const KdxRequirement *requirement);
const char *kdx_requirement_get_text        (const KdxRequirement *requirement);
const char *kdx_requirement_get_legal_status (const KdxRequirement *requirement);

/* A parsed catalog, not yet in any workspace. */
typedef struct
{
  KdxCatalog *catalog;
  GPtrArray  *requirements;   /* KdxRequirement, document order, parents first */
} KdxCatalogData;

void             kdx_catalog_data_free      (KdxCatalogData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxCatalogData, kdx_catalog_data_free)

/* Reads a catalog from @bytes: Kodex catalog XML (validated against the
 * RELAX NG schema) or OSCAL catalog XML (groups and controls as nested
 * requirements, parts as text, props as labels; the key is "oscal-" and a
 * slug of the metadata title, see kdx-catalog.c). Refused, with the line
 * where it applies: a DOCTYPE, anything not well-formed or not valid, a
 * requirement id twice, a parent that does not exist, more than the
 * limits above. Never touches a workspace (the fuzz target calls this). */
KdxCatalogData  *kdx_catalog_parse          (GBytes            *bytes,
                                             KdxCatalogFormat   format,
                                             GError           **error);

/* Parses @path and stores it as a new catalog: one transaction, journaled
 * once. A catalog whose key is taken is refused. @key (optional) receives
 * the new catalog's key. */
gboolean         kdx_catalog_import_file    (KdxStore          *store,
                                             const char        *path,
                                             KdxCatalogFormat   format,
                                             char             **key,
                                             GError           **error);
gboolean         kdx_catalog_import_data    (KdxStore          *store,
                                             KdxCatalogData    *data,
                                             gboolean           shipped,
                                             GError           **error);
/* Adds every shipped catalog (GResource /io/github/kodexapp/Kodex/core/catalogs/)
 * that the workspace lacks. Run by the schema migration that brought
 * catalogs, and by kdx_store_create(). */
gboolean         kdx_catalog_install_shipped (KdxStore         *store,
                                             GError           **error);
/* Removes an imported catalog without mapped requirements. */
gboolean         kdx_catalog_remove         (KdxStore          *store,
                                             const char        *key,
                                             GError           **error);

/* Catalogs by title. */
GPtrArray       *kdx_catalog_list           (KdxStore          *store,
                                             GError           **error);
KdxCatalog      *kdx_catalog_load           (KdxStore          *store,
                                             const char        *key,
                                             GError           **error);
/* Every requirement of a catalog in document order. */
GPtrArray       *kdx_catalog_list_requirements (KdxStore       *store,
                                             const char        *key,
                                             GError           **error);
KdxRequirement  *kdx_requirement_load       (KdxStore          *store,
                                             const char        *uuid,
                                             GError           **error);
KdxRequirement  *kdx_requirement_find       (KdxStore          *store,
                                             const char        *catalog_key,
                                             const char        *code,
                                             GError           **error);

/* Whether the UI speaks German (LANGUAGE / LC_MESSAGES), for picking
 * the German or English text of a catalog. */
gboolean         kdx_prefer_german          (void);

G_END_DECLS
