{
  "variables": {
    "has_onednn%": "<!(node ../scripts/find-onednn.js)"
  },
  "targets": [
    {
      "target_name": "ssgan_blas",
      "sources": ["ssgan_blas.c"],
      "cflags": ["-O3", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math"],
      "xcode_settings": {
        "OTHER_CFLAGS": ["-O3", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math"]
      },
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
