/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_PERSON_ERROR (kdx_person_error_quark ())

typedef enum
{
  KDX_PERSON_ERROR_INVALID,
  KDX_PERSON_ERROR_DUPLICATE,
  KDX_PERSON_ERROR_NOT_FOUND,
} KdxPersonError;

typedef enum
{
  KDX_PERSON_SORT_NAME,
  KDX_PERSON_SORT_EMAIL,
  KDX_PERSON_SORT_DEPARTMENT,
  KDX_PERSON_SORT_ROLE,
  KDX_PERSON_SORT_MANAGER,
  KDX_PERSON_SORT_COMMITTEE,
  KDX_PERSON_SORT_ACTIVE,
} KdxPersonSort;

#define KDX_TYPE_PERSON (kdx_person_get_type ())
G_DECLARE_FINAL_TYPE (KdxPerson, kdx_person, KDX, PERSON, GObject)

GQuark      kdx_person_error_quark        (void);

KdxPerson  *kdx_person_new                (void);
KdxPerson  *kdx_person_copy               (KdxPerson   *self);

gint64      kdx_person_get_id             (KdxPerson   *self);
const char *kdx_person_get_uuid           (KdxPerson   *self);
void        kdx_person_set_uuid           (KdxPerson   *self,
                                           const char  *uuid);
const char *kdx_person_get_name           (KdxPerson   *self);
void        kdx_person_set_name           (KdxPerson   *self,
                                           const char  *name);
const char *kdx_person_get_email          (KdxPerson   *self);
void        kdx_person_set_email          (KdxPerson   *self,
                                           const char  *email);
/* The id an HR system knows the person by; unique among live people. */
const char *kdx_person_get_employee_id    (KdxPerson   *self);
void        kdx_person_set_employee_id    (KdxPerson   *self,
                                           const char  *employee_id);
const char *kdx_person_get_department     (KdxPerson   *self);
void        kdx_person_set_department     (KdxPerson   *self,
                                           const char  *department);
const char *kdx_person_get_role           (KdxPerson   *self);
void        kdx_person_set_role           (KdxPerson   *self,
                                           const char  *role);
const char *kdx_person_get_manager        (KdxPerson   *self);
void        kdx_person_set_manager        (KdxPerson   *self,
                                           const char  *manager_uuid);
const char *kdx_person_get_manager_name   (KdxPerson   *self);
gboolean    kdx_person_get_committee      (KdxPerson   *self);
void        kdx_person_set_committee      (KdxPerson   *self,
                                           gboolean     committee);
gboolean    kdx_person_get_active         (KdxPerson   *self);
void        kdx_person_set_active         (KdxPerson   *self,
                                           gboolean     active);
const char *kdx_person_get_created        (KdxPerson   *self);
const char *kdx_person_get_modified       (KdxPerson   *self);
const char *kdx_person_get_trashed        (KdxPerson   *self);
void        kdx_person_set_times          (KdxPerson   *self,
                                           const char  *created,
                                           const char  *modified,
                                           const char  *trashed);
char       *kdx_person_to_json            (KdxPerson   *self);

/* Each call is one journaled transaction, unless the store is already in
 * one (an import, the demo), which it then joins. */
gboolean    kdx_person_insert             (KdxStore    *store,
                                           KdxPerson   *person,
                                           GError     **error);
gboolean    kdx_person_update             (KdxStore    *store,
                                           KdxPerson   *person,
                                           GError     **error);
gboolean    kdx_person_trash              (KdxStore    *store,
                                           const char  *uuid,
                                           GError     **error);
gboolean    kdx_person_restore            (KdxStore    *store,
                                           const char  *uuid,
                                           GError     **error);

KdxPerson  *kdx_person_load               (KdxStore    *store,
                                           const char  *uuid,
                                           GError     **error);
/* By uuid, e-mail address (any case) or employee id, in that order. */
KdxPerson  *kdx_person_find               (KdxStore    *store,
                                           const char  *uuid_or_email,
                                           GError     **error);
GPtrArray  *kdx_person_list_all           (KdxStore    *store,
                                           gboolean     include_trashed,
                                           GError     **error);
GPtrArray  *kdx_person_list_by_name       (KdxStore    *store,
                                           gboolean     include_inactive,
                                           GError     **error);
gint64      kdx_person_count              (KdxStore    *store);
/* For the Overview: the live people who are active, those on the
 * committee (active or not), and those in the trash. */
void        kdx_person_count_states       (KdxStore    *store,
                                           gint64      *active,
                                           gint64      *committee,
                                           gint64      *trashed);
GPtrArray  *kdx_person_list_trashed       (KdxStore    *store);

/* A query-backed list for views: search, sorted and filtered in SQL. */
GListModel *kdx_person_model_new          (KdxStore    *store);
void        kdx_person_model_set_filter   (GListModel  *model,
                                           const char  *search,
                                           gboolean     include_inactive,
                                           gboolean     committee_only,
                                           KdxPersonSort sort,
                                           gboolean     descending);
void        kdx_person_model_preload_search (GListModel *model);

/* For kdx-import.c, which checks a whole file of people at once (duplicate
 * addresses and employee ids, managers, circles of managers) before it
 * writes, inside its own transaction: these write without checking again,
 * with cached statements, and journal. _kdx_person_import_insert() gives
 * the person its id (and uuid, unless set); its manager (uuid) is
 * @manager_id. _kdx_person_import_save() writes @after over @before when
 * anything changed. */
gboolean    _kdx_person_import_insert     (KdxStore    *store,
                                           KdxPerson   *person,
                                           gint64       manager_id,
                                           GError     **error);
gboolean    _kdx_person_import_save       (KdxStore    *store,
                                           KdxPerson   *before,
                                           KdxPerson   *after,
                                           gint64       manager_id,
                                           GError     **error);
/* A person as the importer read it from the workspace (row id @id). */
void        _kdx_person_set_id            (KdxPerson   *person,
                                           gint64       id);
/* Whether the name, address, employee id, department and role (what the
 * search text is made of) are the same. */
gboolean    _kdx_person_same_search_text  (KdxPerson   *a,
                                           KdxPerson   *b);

/* Lower case, without diacritics: how names sort and are searched. */
char       *kdx_fold_text                 (const char  *text);
gboolean    kdx_person_reindex_search     (KdxStore    *store,
                                           GError     **error);
gboolean    kdx_person_refold             (KdxStore    *store,
                                           GError     **error);

G_END_DECLS
