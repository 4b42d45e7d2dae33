{
  "variables": {
    "has_onednn%": "<!(node ../scripts/find-onednn.js)",
    "gemm%": "<!(node ../scripts/find-blas.js)"
  },
  "target_defaults": {
    "cflags": ["-O3", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math"],
    "xcode_settings": {
      "OTHER_CFLAGS": ["-O3", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math"]
    }
  },
  "targets": [
    {
      "target_name": "ssgan_blas",
      "sources": ["addon.c", "args.c", "matmul.c", "conv.c", "random.c", "optim.c", "elementwise.c", "wn_dense.c"],
      "conditions": [
        ["gemm=='blas'", {
          "sources": ["gemm_blas.c"],
          "conditions": [
            ["OS=='mac'", {
              "defines": ["SSGAN_ACCELERATE", "ACCELERATE_NEW_LAPACK"],
              "libraries": ["-framework Accelerate"]
            }],
            ["OS!='mac'", {
              "libraries": ["-lopenblas"]
            }]
          ]
        }],
        ["gemm=='portable'", {
          "dependencies": ["ssgan_gemm_portable"]
        }],
        ["OS!='mac'", {
          "libraries": ["-lm"]
        }],
        ["OS!='mac' and has_onednn==1", {
          "sources": ["ssgan_dnnl.c"],
          "defines": ["SSGAN_DNNL"],
          "cflags": ["-fopenmp"],
          "libraries": ["-ldnnl", "-fopenmp"]
        }]
      ]
    }
  ],
  "conditions": [
    ["gemm=='portable'", {
      "targets": [
        {
          # The GEMM alone is built for this machine's vector unit (-march=native) and may fuse
          # multiply-adds; the other kernels keep the flags that make them match tfjs bit for bit.
          "target_name": "ssgan_gemm_portable",
          "type": "static_library",
          "sources": ["gemm_portable.c"],
          "cflags": ["-march=native", "-ffp-contract=fast", "-fPIC", "-pthread"],
          "link_settings": {"libraries": ["-lpthread"]},
          "xcode_settings": {
            "OTHER_CFLAGS": ["-mcpu=native", "-ffp-contract=fast"]
          }
        }
      ]
    }]
  ]
}
