/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo workspace: Brenner & Hoffmann Industriebedarf GmbH, a German
 * B2B distributor of industrial supplies with an inside and a field sales
 * force, key accounts, marketing, a small data team and an AI-ethics
 * committee. The people are invented.
 */
#define G_LOG_DOMAIN "kdx-demo"

#include "config.h"

#include "kdx-demo.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-store-private.h"
#include "kdx-template.h"

#include <glib/gi18n-lib.h>

#define ORGANISATION "Brenner & Hoffmann Industriebedarf GmbH"
#define DOMAIN       "brenner-hoffmann.de"

typedef struct
{
  const char *name;
  const char *department_de;
  const char *department_en;
  const char *role_de;
  const char *role_en;
  int         manager;    /* index into the table, -1 for none */
  gboolean    committee;
  gboolean    active;
} DemoPerson;

/* Index:                                                     manager, committee, active */
static const DemoPerson small_org[] = {
  /*  0 */ { "Katharina Brenner", "Geschäftsführung", "Management", "Geschäftsführerin", "Managing Director", -1, FALSE, TRUE },
  /*  1 */ { "Thomas Hoffmann", "Geschäftsführung", "Management", "Geschäftsführer Vertrieb", "Managing Director Sales", -1, TRUE, TRUE },
  /*  2 */ { "Sabine Krüger", "Vertrieb Innendienst", "Inside Sales", "Leiterin Vertriebsinnendienst", "Head of Inside Sales", 1, FALSE, TRUE },
  /*  3 */ { "Jonas Weber", "Vertrieb Innendienst", "Inside Sales", "Vertriebsmitarbeiter Innendienst", "Inside Sales Representative", 2, FALSE, TRUE },
  /*  4 */ { "Leonie Schäfer", "Vertrieb Innendienst", "Inside Sales", "Vertriebsmitarbeiterin Innendienst", "Inside Sales Representative", 2, FALSE, TRUE },
  /*  5 */ { "Mehmet Yılmaz", "Vertrieb Innendienst", "Inside Sales", "Vertriebsmitarbeiter Innendienst", "Inside Sales Representative", 2, FALSE, TRUE },
  /*  6 */ { "Anna Lehmann", "Vertrieb Innendienst", "Inside Sales", "Teamleiterin Angebotsmanagement", "Team Lead Quotations", 2, FALSE, TRUE },
  /*  7 */ { "Felix Braun", "Vertrieb Innendienst", "Inside Sales", "Angebotsmanager", "Quotation Manager", 6, FALSE, TRUE },
  /*  8 */ { "Markus Vogel", "Vertrieb Außendienst", "Field Sales", "Leiter Vertriebsaußendienst", "Head of Field Sales", 1, FALSE, TRUE },
  /*  9 */ { "Julia Neumann", "Vertrieb Außendienst", "Field Sales", "Gebietsverkaufsleiterin Nord", "Area Sales Manager North", 8, FALSE, TRUE },
  /* 10 */ { "Stefan Wolf", "Vertrieb Außendienst", "Field Sales", "Gebietsverkaufsleiter Süd", "Area Sales Manager South", 8, FALSE, TRUE },
  /* 11 */ { "Christina Richter", "Vertrieb Außendienst", "Field Sales", "Gebietsverkaufsleiterin West", "Area Sales Manager West", 8, FALSE, TRUE },
  /* 12 */ { "Piotr Nowak", "Vertrieb Außendienst", "Field Sales", "Außendienstmitarbeiter", "Field Sales Representative", 9, FALSE, TRUE },
  /* 13 */ { "Lena Zimmermann", "Vertrieb Außendienst", "Field Sales", "Außendienstmitarbeiterin", "Field Sales Representative", 10, FALSE, TRUE },
  /* 14 */ { "Andreas Hartmann", "Vertrieb Außendienst", "Field Sales", "Außendienstmitarbeiter", "Field Sales Representative", 11, FALSE, FALSE },
  /* 15 */ { "Miriam Koch", "Key Account Management", "Key Account Management", "Leiterin Key Account Management", "Head of Key Account Management", 1, FALSE, TRUE },
  /* 16 */ { "Daniel Schulz", "Key Account Management", "Key Account Management", "Key Account Manager Automotive", "Key Account Manager Automotive", 15, FALSE, TRUE },
  /* 17 */ { "Eva Becker", "Key Account Management", "Key Account Management", "Key Account Managerin Maschinenbau", "Key Account Manager Machinery", 15, FALSE, TRUE },
  /* 18 */ { "Tobias Fischer", "Marketing", "Marketing", "Leiter Marketing", "Head of Marketing", 0, FALSE, TRUE },
  /* 19 */ { "Sophie Wagner", "Marketing", "Marketing", "Marketing-Automation-Managerin", "Marketing Automation Manager", 18, FALSE, TRUE },
  /* 20 */ { "Nils Petersen", "Marketing", "Marketing", "Content-Manager", "Content Manager", 18, FALSE, TRUE },
  /* 21 */ { "Aylin Demir", "Customer Success", "Customer Success", "Leiterin Customer Success", "Head of Customer Success", 1, FALSE, TRUE },
  /* 22 */ { "Lukas Meyer", "Customer Success", "Customer Success", "Teamleiter Kundenservice", "Team Lead Customer Service", 21, FALSE, TRUE },
  /* 23 */ { "Hannah Schmitt", "Customer Success", "Customer Success", "Kundenservice-Agentin", "Customer Service Agent", 22, FALSE, TRUE },
  /* 24 */ { "Kevin Lange", "Customer Success", "Customer Success", "Kundenservice-Agent", "Customer Service Agent", 22, FALSE, TRUE },
  /* 25 */ { "Fatma Aydın", "Customer Success", "Customer Success", "Kundenservice-Agentin", "Customer Service Agent", 22, FALSE, TRUE },
  /* 26 */ { "Oliver Krause", "Vertriebssteuerung", "Sales Operations", "Leiter Vertriebssteuerung", "Head of Sales Operations", 1, FALSE, TRUE },
  /* 27 */ { "Laura Schneider", "Vertriebssteuerung", "Sales Operations", "CRM-Administratorin", "CRM Administrator", 26, FALSE, TRUE },
  /* 28 */ { "Moritz Kaiser", "Vertriebssteuerung", "Sales Operations", "Pricing-Analyst", "Pricing Analyst", 26, FALSE, TRUE },
  /* 29 */ { "Dr. Ingrid Baumann", "IT & Data Science", "IT & Data Science", "Leiterin Data Science", "Head of Data Science", 0, TRUE, TRUE },
  /* 30 */ { "Yusuf Özdemir", "IT & Data Science", "IT & Data Science", "Data Scientist", "Data Scientist", 29, FALSE, TRUE },
  /* 31 */ { "Clara Hoffmann", "IT & Data Science", "IT & Data Science", "Machine-Learning-Ingenieurin", "Machine Learning Engineer", 29, FALSE, TRUE },
  /* 32 */ { "Ralf Schröder", "IT & Data Science", "IT & Data Science", "IT-Sicherheitsbeauftragter", "IT Security Officer", 0, FALSE, TRUE },
  /* 33 */ { "Dr. Petra Engel", "Recht & Compliance", "Legal & Compliance", "Compliance-Beauftragte, Vorsitz Ethikgremium", "Compliance Officer, Chair of the Ethics Committee", 0, TRUE, TRUE },
  /* 34 */ { "Martin Seidel", "Recht & Compliance", "Legal & Compliance", "Datenschutzbeauftragter", "Data Protection Officer", 33, TRUE, TRUE },
  /* 35 */ { "Susanne Kühn", "Personal", "Human Resources", "Leiterin Personal", "Head of Human Resources", 0, TRUE, TRUE },
  /* 36 */ { "Jan Möller", "Personal", "Human Resources", "Personalentwickler und Trainer", "Learning & Development Trainer", 35, FALSE, TRUE },
  /* 37 */ { "Birgit Frank", "Betriebsrat", "Works Council", "Betriebsratsvorsitzende", "Chair of the Works Council", -1, TRUE, TRUE },
  /* 38 */ { "Emil Jansen", "Vertrieb Innendienst", "Inside Sales", "Werkstudent Vertrieb", "Working Student Sales", 2, FALSE, TRUE },
  /* 39 */ { "Greta Hansen", "Marketing", "Marketing", "Praktikantin Marketing", "Marketing Intern", 18, FALSE, FALSE },
};

static const char *first_names[] = {
  "Anna", "Ben", "Clara", "David", "Elif", "Finn", "Greta", "Hannes", "Ida", "Jakob",
  "Katrin", "Leon", "Mia", "Noah", "Olga", "Paul", "Quirin", "Rosa", "Simon", "Tanja",
  "Ulrich", "Vera", "Wiebke", "Xaver", "Yasemin", "Zoe", "Jürgen", "Gülşen", "Björn", "Małgorzata",
};

static const char *last_names[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
  "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
  "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
  "Werner", "Krause", "Meier", "Lehmann", "Yılmaz", "Kaya", "Nowak", "Kowalski", "Öztürk",
};

static const struct { const char *de, *en; } large_departments[] = {
  { "Vertrieb Innendienst", "Inside Sales" },
  { "Vertrieb Außendienst", "Field Sales" },
  { "Key Account Management", "Key Account Management" },
  { "Customer Success", "Customer Success" },
  { "Marketing", "Marketing" },
  { "Vertriebssteuerung", "Sales Operations" },
  { "IT & Data Science", "IT & Data Science" },
  { "Personal", "Human Resources" },
};

static const struct { const char *de, *en; } regions[] = {
  { "Nord", "North" }, { "Süd", "South" }, { "West", "West" }, { "Ost", "East" },
  { "Mitte", "Central" }, { "DACH", "DACH" }, { "Benelux", "Benelux" }, { "Nordics", "Nordics" },
};

static char *
email_for (const char *name,
           guint       number)
{
  g_autofree char *folded = kdx_fold_text (name);
  GString *local = g_string_new (NULL);

  for (const char *p = folded; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (local, *p);
      else if (*p == ' ' && local->len > 0 && local->str[local->len - 1] != '.')
        g_string_append_c (local, '.');
    }
  /* "Dr." and other non-ASCII rests are dropped; keep the address tidy. */
  if (g_str_has_prefix (local->str, "dr."))
    g_string_erase (local, 0, 3);
  if (number > 0)
    g_string_append_printf (local, ".%u", number);
  g_string_append (local, "@" DOMAIN);

  return g_string_free (local, FALSE);
}

static gboolean
fill_small (KdxStore   *store,
            gboolean    english,
            GError    **error)
{
  g_autoptr(GPtrArray) inserted = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (small_org); i++)
    {
      const DemoPerson *d = &small_org[i];
      g_autoptr(KdxPerson) person = kdx_person_new ();
      g_autofree char *email = email_for (d->name, 0);

      kdx_person_set_name (person, d->name);
      kdx_person_set_email (person, email);
      kdx_person_set_department (person, english ? d->department_en : d->department_de);
      kdx_person_set_role (person, english ? d->role_en : d->role_de);
      kdx_person_set_committee (person, d->committee);
      kdx_person_set_active (person, d->active);
      if (d->manager >= 0)
        kdx_person_set_manager (person,
                                kdx_person_get_uuid (g_ptr_array_index (inserted, d->manager)));

      if (!kdx_person_insert (store, person, error))
        return FALSE;
      g_ptr_array_add (inserted, g_steal_pointer (&person));
    }

  return TRUE;
}

/* 100,000 people: a board, regional heads per department, team leads,
 * and teams of about eight under each lead. */
static gboolean
fill_large (KdxStore      *store,
            gboolean       english,
            KdxJob        *job,
            GCancellable  *cancellable,
            GError       **error)
{
  const guint total = 100000;
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *ceo_uuid = NULL;
  GRand *rand = g_rand_new_with_seed (42);
  guint n = 0;
  gboolean ok = TRUE;

  if (!fill_small (store, english, error))
    {
      g_rand_free (rand);
      return FALSE;
    }
  n = G_N_ELEMENTS (small_org);

  {
    g_autoptr(KdxPerson) ceo = kdx_person_find (store, "katharina.brenner@" DOMAIN, NULL);
    ceo_uuid = g_strdup (ceo ? kdx_person_get_uuid (ceo) : NULL);
  }

  while (ok && n < total)
    {
      guint dept = g_rand_int_range (rand, 0, G_N_ELEMENTS (large_departments));
      guint region = g_rand_int_range (rand, 0, G_N_ELEMENTS (regions));
      const char *first = first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))];
      const char *last = last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))];
      g_autofree char *name = g_strconcat (first, " ", last, NULL);
      g_autofree char *email = email_for (name, n);
      g_autofree char *department = g_strdup_printf ("%s %s",
                                                     english ? large_departments[dept].en
                                                             : large_departments[dept].de,
                                                     english ? regions[region].en
                                                             : regions[region].de);
      g_autoptr(KdxPerson) person = kdx_person_new ();
      gboolean is_lead = (n % 9) == 0;

      kdx_person_set_name (person, name);
      kdx_person_set_email (person, email);
      kdx_person_set_department (person, department);
      if (is_lead)
        kdx_person_set_role (person, english ? "Team Lead" : "Teamleitung");
      else
        kdx_person_set_role (person, english ? "Sales Representative" : "Vertriebsmitarbeitende");
      kdx_person_set_active (person, g_rand_int_range (rand, 0, 50) != 0);
      kdx_person_set_committee (person, FALSE);

      if (is_lead || leads->len == 0)
        kdx_person_set_manager (person, ceo_uuid);
      else
        kdx_person_set_manager (person, g_ptr_array_index (leads, leads->len - 1));

      ok = kdx_person_insert (store, person, error);
      if (ok && is_lead)
        g_ptr_array_add (leads, g_strdup (kdx_person_get_uuid (person)));

      n++;
      if ((n & 4095) == 0)
        {
          if (job != NULL)
            kdx_job_set_progress (job, (double) n / total, _("Creating people"));
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            ok = FALSE;
        }
    }

  g_rand_free (rand);

  return ok;
}

/* ------------------------------------------------------------------ */
/* Policies                                                            */

/* The committee of the small organisation, by index into small_org. */
static const guint committee[] = { 33, 34, 29, 1, 35, 37 };

typedef struct
{
  KdxStore   *store;
  GPtrArray  *people;     /* uuids, in the order of small_org */
  char       *saved_actor;
} PolicyDemo;

static gboolean
vote_round (PolicyDemo   *demo,
            const char   *version,
            const char   *pattern,   /* per member: a approve, r reject, s abstain, - none */
            const char  **comments,
            GError      **error)
{
  KdxVersionStatus status = KDX_VERSION_REVIEW;

  /* Until the vote is decided. */
  for (guint i = 0; pattern[i] && i < G_N_ELEMENTS (committee) && status == KDX_VERSION_REVIEW; i++)
    {
      KdxVoteChoice choice;

      switch (pattern[i])
        {
        case 'a': choice = KDX_VOTE_APPROVE; break;
        case 'r': choice = KDX_VOTE_REJECT; break;
        case 's': choice = KDX_VOTE_ABSTAIN; break;
        default: continue;
        }
      kdx_store_set_actor (demo->store, g_ptr_array_index (demo->people, committee[i]));
      if (!kdx_policy_vote (demo->store, version, choice, comments ? comments[i] : NULL,
                            &status, error))
        return FALSE;
    }
  kdx_store_set_actor (demo->store, demo->saved_actor);

  return TRUE;
}

/* Submits, votes through (four of six) and publishes @version. */
static gboolean
publish (PolicyDemo  *demo,
         const char  *version,
         const char  *summary,
         const char  *effective,
         GError     **error)
{
  return kdx_policy_submit (demo->store, version, summary, error) &&
         vote_round (demo, version, "aaaas", NULL, error) &&
         kdx_policy_publish (demo->store, version, effective, error);
}

static char *
first_version (KdxStore   *store,
               KdxPolicy  *policy)
{
  g_autoptr(GPtrArray) versions = kdx_policy_list_versions (store, kdx_policy_get_uuid (policy),
                                                            NULL);

  if (versions == NULL || versions->len == 0)
    return NULL;

  return g_strdup (kdx_policy_version_get_uuid (versions->pdata[versions->len - 1]));
}

static KdxPolicy *
policy_from_template (PolicyDemo   *demo,
                      KdxTemplate  *template,
                      const char   *title,
                      guint         owner,
                      const char   *body,
                      GError      **error)
{
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();

  kdx_policy_set_title (policy, title ? title : kdx_template_get_title (template));
  kdx_policy_set_kind (policy, MAX (kdx_policy_kind_from_string (kdx_template_get_kind (template)), 0));
  kdx_policy_set_area (policy, MAX (kdx_policy_area_from_string (kdx_template_get_area (template)), 0));
  kdx_policy_set_review_months (policy, kdx_template_get_review_months (template));
  kdx_policy_set_owner (policy, g_ptr_array_index (demo->people, owner));
  if (!kdx_policy_create (demo->store, policy, body ? body : kdx_template_get_body (template),
                          error))
    return NULL;

  return g_steal_pointer (&policy);
}

/* A word added to a text, so that a later version differs. */
static char *
amend (const char *body,
       const char *addition)
{
  return g_strconcat (body, "\n", addition, "\n", NULL);
}

/* The code of conduct and the shipped policies, in every state a
 * newcomer should see: published and acknowledged, a minor revision in
 * review, an overdue review, a draft, a rejected draft with comments, an
 * approved version waiting for publication. */
static gboolean
fill_small_policies (KdxStore   *store,
                     gboolean    english,
                     GError    **error)
{
  g_autoptr(GPtrArray) templates = kdx_template_list (english ? "en" : "de");
  g_autoptr(GPtrArray) people = kdx_person_list_by_name (store, TRUE, error);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  PolicyDemo demo = { store, uuids, g_strdup (kdx_store_get_actor (store)) };
  const char *reject_comments[] = {
    english ? "The opt-out for customers is missing." : "Es fehlt das Widerspruchsrecht der Kunden.",
    NULL,
    english ? "Please name the retention period." : "Bitte die Speicherdauer nennen.",
    NULL, NULL, NULL,
  };
  gboolean ok = FALSE;

  if (people == NULL)
    goto out;
  /* People in the order of small_org, found by e-mail. */
  for (guint i = 0; i < G_N_ELEMENTS (small_org); i++)
    {
      g_autofree char *email = email_for (small_org[i].name, 0);
      g_autoptr(KdxPerson) person = kdx_person_find (store, email, error);

      if (person == NULL)
        goto out;
      g_ptr_array_add (uuids, g_strdup (kdx_person_get_uuid (person)));
    }

  for (guint t = 0; t < templates->len; t++)
    {
      KdxTemplate *template = templates->pdata[t];
      g_autoptr(KdxPolicy) policy = NULL;
      g_autofree char *v1 = NULL;
      guint owner = committee[t % G_N_ELEMENTS (committee)];

      policy = policy_from_template (&demo, template, NULL, owner, NULL, error);
      if (policy == NULL || (v1 = first_version (store, policy)) == NULL)
        goto out;

      switch (t)
        {
        case 0:   /* the code of conduct: published, acknowledged, 1.1 in review */
          {
            g_autoptr(KdxPolicyVersion) v2 = NULL;
            g_autoptr(GPtrArray) asked = NULL;
            g_autoptr(GPtrArray) done = g_ptr_array_new ();
            g_autofree char *text = NULL;

            if (!kdx_policy_set_ack_scope (store, v1, KDX_ACK_ALL, NULL, error) ||
                !publish (&demo, v1, english ? "First version adopted by the committee"
                                             : "Erste vom Gremium beschlossene Fassung",
                          "2026-01-15", error))
              goto out;
            asked = kdx_policy_ack_status (store, v1, NULL, error);
            if (asked == NULL)
              goto out;
            for (guint i = 0; i < asked->len; i++)
              if (i % 4 != 3)
                g_ptr_array_add (done, ((KdxAckRow *) asked->pdata[i])->person);
            g_ptr_array_add (done, NULL);
            if (!kdx_policy_acknowledge (store, v1, (const char *const *) done->pdata,
                                         "2026-01-20T09:00:00Z", "import", NULL, error))
              goto out;

            v2 = kdx_policy_new_draft (store, kdx_policy_get_uuid (policy), FALSE, error);
            text = amend (kdx_policy_version_get_body (v2),
                          english ? "Agents tell customers in the first e-mail of a conversation "
                                    "when the text was drafted with AI."
                                  : "Mitarbeitende weisen Kunden in der ersten E-Mail eines "
                                    "Gesprächs darauf hin, wenn der Text mit KI entworfen wurde.");
            if (v2 == NULL ||
                !kdx_policy_save_draft (store, kdx_policy_version_get_uuid (v2), text, error) ||
                !kdx_policy_submit (store, kdx_policy_version_get_uuid (v2),
                                    english ? "Disclosure in AI-drafted e-mails"
                                            : "Hinweis in KI-entworfenen E-Mails", error) ||
                !vote_round (&demo, kdx_policy_version_get_uuid (v2), "aa", NULL, error))
              goto out;
          }
          break;

        case 1: case 4:   /* published; the second one's review is overdue */
          if (!kdx_policy_set_ack_scope (store, v1, KDX_ACK_DEPARTMENT,
                                         english ? "Inside Sales" : "Vertrieb Innendienst", error) ||
              !publish (&demo, v1, english ? "Adopted" : "Beschlossen",
                        t == 4 ? "2024-10-01" : "2026-02-01", error))
            goto out;
          break;

        case 2:   /* rejected, back to draft with the comments */
          if (!kdx_policy_submit (store, v1, english ? "First draft for discussion"
                                                     : "Erster Entwurf zur Diskussion", error) ||
              !vote_round (&demo, v1, "rar-rr", reject_comments, error))
            goto out;
          break;

        case 3:   /* approved, waiting to be published */
          if (!kdx_policy_submit (store, v1, english ? "Ready for adoption"
                                                     : "Bereit zur Beschlussfassung", error) ||
              !vote_round (&demo, v1, "aaaa", NULL, error))
            goto out;
          break;

        case 5:   /* in review */
          if (!kdx_policy_submit (store, v1, english ? "Proposal of the data team"
                                                     : "Vorschlag des Data-Teams", error) ||
              !vote_round (&demo, v1, "as", NULL, error))
            goto out;
          break;

        default:  /* drafts */
          break;
        }
    }
  ok = TRUE;

out:
  kdx_store_set_actor (store, demo.saved_actor);
  g_free (demo.saved_actor);
  return ok;
}

/* 2,000 policies with five versions each (four superseded, the newest
 * published or, for every fourth policy, a draft), their text from the
 * shipped templates, each version a little different from the last. */
static gboolean
fill_large_policies (KdxStore      *store,
                     gboolean       english,
                     KdxJob        *job,
                     GCancellable  *cancellable,
                     GError       **error)
{
  const guint total = 2000;
  g_autoptr(GPtrArray) templates = kdx_template_list (english ? "en" : "de");
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  PolicyDemo demo = { store, uuids, g_strdup (kdx_store_get_actor (store)) };
  GRand *rand = g_rand_new_with_seed (7);
  gboolean ok = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (small_org); i++)
    {
      g_autofree char *email = email_for (small_org[i].name, 0);
      g_autoptr(KdxPerson) person = kdx_person_find (store, email, error);

      if (person == NULL)
        goto out;
      g_ptr_array_add (uuids, g_strdup (kdx_person_get_uuid (person)));
    }
  if (templates->len == 0)
    {
      ok = TRUE;
      goto out;
    }

  for (guint n = 0; n < total; n++)
    {
      KdxTemplate *template = templates->pdata[n % templates->len];
      const char *region = english ? regions[n % G_N_ELEMENTS (regions)].en
                                   : regions[n % G_N_ELEMENTS (regions)].de;
      g_autofree char *title = g_strdup_printf ("%s – %s %u", kdx_template_get_title (template),
                                                region, n / templates->len + 1);
      g_autoptr(KdxPolicy) policy = NULL;
      g_autofree char *version = NULL;
      g_autofree char *body = g_strdup (kdx_template_get_body (template));

      policy = policy_from_template (&demo, template, title, committee[n % G_N_ELEMENTS (committee)],
                                     body, error);
      if (policy == NULL || (version = first_version (store, policy)) == NULL)
        goto out;

      for (guint v = 1; v <= 5; v++)
        {
          g_autofree char *effective = g_strdup_printf ("%04u-%02u-01", 2021 + v,
                                                        g_rand_int_range (rand, 1, 13));
          g_autofree char *summary = g_strdup_printf (english ? "Revision %u for %s"
                                                              : "Überarbeitung %u für %s",
                                                      v, region);

          if (v > 1)
            {
              g_autoptr(KdxPolicyVersion) draft = NULL;
              g_autofree char *line = g_strdup_printf (english
                                                         ? "Amendment %u.%u: reviewed by the committee on %s, reference %08x."
                                                         : "Änderung %u.%u: vom Gremium geprüft am %s, Aktenzeichen %08x.",
                                                       n + 1, v, effective, g_rand_int (rand));
              g_autofree char *text = NULL;

              text = amend (body, line);
              draft = kdx_policy_new_draft_with_text (store, kdx_policy_get_uuid (policy), v == 3,
                                                      text, error);
              if (draft == NULL)
                goto out;
              g_free (body);
              body = g_steal_pointer (&text);
              g_free (version);
              version = g_strdup (kdx_policy_version_get_uuid (draft));
            }
          if (v == 5 && n % 4 == 3)
            break;
          if (!publish (&demo, version, summary, effective, error))
            goto out;
        }

      if ((n & 63) == 0)
        {
          if (job != NULL)
            kdx_job_set_progress (job, (double) n / total, _("Creating policies"));
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;
        }
    }
  ok = TRUE;

out:
  kdx_store_set_actor (store, demo.saved_actor);
  g_free (demo.saved_actor);
  g_rand_free (rand);
  return ok;
}

gboolean
kdx_demo_fill (KdxStore      *store,
               KdxDemoSize    size,
               const char    *language,
               KdxJob        *job,
               GCancellable  *cancellable,
               GError       **error)
{
  gboolean english = g_strcmp0 (language, "en") == 0;
  gboolean ok;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (!kdx_store_begin (store, error))
    return FALSE;

  /* The large workspace is written in one transaction of some 400 MB: a
   * cache that holds it saves reading back what was just written. */
  if (size == KDX_DEMO_LARGE)
    kdx_store_exec (store, "PRAGMA cache_size = -524288", NULL);

  ok = kdx_store_set_setting (store, "organisation", ORGANISATION, error) &&
       kdx_store_set_setting (store, "language", english ? "en" : "de", error) &&
       kdx_store_set_setting (store, "quorum", "majority:3", error) &&
       kdx_journal_append (store, "workspace", NULL, "demo",
                           size == KDX_DEMO_LARGE ? "large" : "small", NULL, NULL, error);

  if (ok)
    ok = size == KDX_DEMO_LARGE ? fill_large (store, english, job, cancellable, error)
                                : fill_small (store, english, error);
  if (ok)
    ok = size == KDX_DEMO_LARGE ? fill_large_policies (store, english, job, cancellable, error)
                                : fill_small_policies (store, english, error);

  /* Statistics for the planner, now that the tables are full. */
  if (ok)
    ok = kdx_store_exec (store, "ANALYZE", error);

  if (ok)
    ok = kdx_store_commit (store, error);
  else
    kdx_store_rollback (store);
  kdx_store_exec (store, "PRAGMA cache_size = -2000", NULL);

  return ok;
}
