"""Small simulated canonical interview tables with planted structure, for tests and smoke runs.

The real demo data come from `impleval.demo.interviews` through `prepare_interviews`; this module
only builds frames of the same shape (interview_segments / interview_documents) so the statistics
can be tested without the importers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.interviews.settings import StudyDefs

STAGES = ["procurement", "pre_implementation", "implementation", "post_implementation"]
# code path -> (theme, planted presence probability per stage)
CODES = {
    "Procurement > Dialogue": ("dialogue_procurement", [0.85, 0.4, 0.15, 0.1]),
    "Task shifting": ("task_shifting", [0.1, 0.25, 0.6, 0.85]),
    "Trust in AI": ("trust_in_ai", [0.45, 0.45, 0.45, 0.45]),
    "Benefits > Patients > Faster diagnosis": ("benefit_patients_faster", [0.1, 0.3, 0.5, 0.7]),
    "Benefits > Orthopaedists > False positives": (
        "challenge_ortho_false_pos",
        [0.05, 0.1, 0.4, 0.3],
    ),
}
STAKEHOLDERS = {
    "Benefits > Patients > Faster diagnosis": {"stakeholder": "patients", "kind": "benefit"},
    "Benefits > Orthopaedists > False positives": {
        "stakeholder": "orthopaedists",
        "kind": "challenge",
    },
}
REGIONS = ["hso", "hso", "hso", "vest", "midt", "nord"]
ROLES = ["radiologist", "radiographer", "project_lead", "orthopaedist", "manager"]


def simulated_defs() -> StudyDefs:
    themes = list(dict.fromkeys(theme for theme, _ in CODES.values()))
    return StudyDefs(
        stages=list(STAGES),
        stage_labels={s: {"nb": s.replace("_", " "), "en": s.replace("_", " ")} for s in STAGES},
        theme_labels={t: {"nb": t.replace("_", " "), "en": t.replace("_", " ")} for t in themes},
        themes=themes,
        codes={code: theme for code, (theme, _) in CODES.items()},
        stakeholders=dict(STAKEHOLDERS),
        stakeholder_labels={
            "patients": {"nb": "Pasienter", "en": "Patients"},
            "orthopaedists": {"nb": "Ortopeder", "en": "Orthopaedists"},
        },
    )


def true_kappa(prevalence: float, agreement: float) -> float:
    """Population Cohen's κ of the simulated second coder: coder 1 applies a code with
    probability `prevalence`; coder 2 copies each decision with probability `agreement` and
    flips it otherwise. p_o = agreement; coder 2's prevalence q = p·a + (1 − p)(1 − a);
    p_e = p·q + (1 − p)(1 − q); κ = (p_o − p_e) / (1 − p_e)."""
    p, a = prevalence, agreement
    q = p * a + (1 - p) * (1 - a)
    pe = p * q + (1 - p) * (1 - q)
    return (a - pe) / (1 - pe)


def simulate(
    n_per_stage: int = 20,
    double_share: float = 0.25,
    agreement: float = 0.9,
    seed: int = 1,
    codes: dict | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(segments, documents) with planted stage probabilities and second-coder agreement.

    `codes` maps code path → (theme, presence probability per stage) (default ``CODES``); the
    population prevalence of a code is the mean of its stage probabilities (equal stage sizes).
    """
    codes = CODES if codes is None else codes
    rng = np.random.default_rng(seed)
    docs, segs = [], []
    n = 0
    for si, stage in enumerate(STAGES):
        for _ in range(n_per_stage):
            n += 1
            iid = f"I{n:03d}"
            region = REGIONS[rng.integers(len(REGIONS))]
            role = ROLES[rng.integers(len(ROLES))]
            double = bool(rng.random() < double_share)
            docs.append(
                dict(
                    interview_id=iid,
                    stage=stage,
                    region=region,
                    trust=f"t_{region}",
                    role=role,
                    double_coded=double,
                )
            )
            present = {c: rng.random() < p[si] for c, (_, p) in codes.items()}
            coders = {"coder_1": present}
            if double:
                coders["coder_2"] = {
                    c: (v if rng.random() < agreement else not v) for c, v in present.items()
                }
            for coder, pres in coders.items():
                pos = 0
                for code, (theme, _) in codes.items():
                    if not pres[code]:
                        continue
                    for _k in range(int(rng.integers(1, 4))):
                        pos += 1
                        words = " ".join(["ord"] * int(rng.integers(5, 40)))
                        segs.append(
                            dict(
                                interview_id=iid,
                                stage=stage,
                                region=region,
                                trust=f"t_{region}",
                                role=role,
                                code_path=code,
                                theme=theme,
                                coder=coder,
                                position=pos,
                                position_end=pos,
                                text=f"Om {theme}: {words}.",
                            )
                        )
    return pd.DataFrame(segs), pd.DataFrame(docs)
