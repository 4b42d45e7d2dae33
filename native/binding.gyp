{
  "variables": {
    "has_onednn%": "<!(node -p \"require('fs').existsSync('/usr/include/dnnl.h') && !process.env.SSGAN_NO_ONEDNN ? 1 : 0\")"
  },
  "targets": [
    {
      "target_name": "ssgan_blas",
      "sources": ["ssgan_blas.c"],
      "cflags": ["-O3", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math"],
      "conditions": [
        ["OS=='mac'", {
          "defines": ["SSGAN_ACCELERATE", "ACCELERATE_NEW_LAPACK"],
          "libraries": ["-framework Accelerate"]
        }],
        ["OS!='mac'", {
          "libraries": ["-lopenblas", "-lm"]
        }],
        ["OS!='mac' and has_onednn==1", {
          "sources": ["ssgan_dnnl.c"],
          "defines": ["SSGAN_DNNL"],
          "cflags": ["-fopenmp"],
          "libraries": ["-ldnnl", "-fopenmp"]
        }]
      ]
    }
  ]
}
